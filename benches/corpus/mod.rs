//! The benchmark corpus: deterministic text built from sentences written for this project.
//!
//! Every shape the benchmarks measure comes from here, so `cargo bench` and `benches/run.sh`
//! read the same text: one 120-word pitch, prose of any size (paragraphs of four to seven
//! sentences), and a class of pitches of 60–250 words. The generator is a fixed-seed SplitMix64,
//! so the same call returns the same bytes on every machine and every run.

#![allow(dead_code)] // each bench target uses part of the generator

/// The single pitch the latency benchmarks time: exactly 120 words, with a self-introduction, a
/// proof point, some jargon, a vague ask and a specific one.
pub const PITCH: &str = "Hi, I'm Rosa Delgado, and I run Tidewater Books, a two-person bookkeeping firm in Norfolk. \
We help independent restaurants and cafés close their month in days instead of weeks, and we leverage \
best-in-class cloud tools to do it. Last spring one small family-owned bakery on Colley Avenue cut its \
month-end close from twelve days to three and finally saw which catering orders lost money. \
Honestly, I'm looking for more good clients, so if you know anyone who needs help, please send them my way. \
Even better: if you hear a restaurant owner in Ghent complain that their accountant only calls at tax time, \
I'd love an introduction. What kind of businesses do you usually work with around here these days?\n";

/// Sentences a pitch or a follow-up is assembled from: openers, what the writer does, proof,
/// asks (vague and specific), jargon, pressure and closers, in the register pitchlint checks.
const PITCH_SENTENCES: &[&str] = &[
    "Hi everyone, I'm Sam Okoro and I fix payroll for small manufacturers.",
    "My name is Leah Brandt and I'm a financial planner based in Dayton.",
    "I help dental practices in Leeds cut no-shows by half with text reminders patients actually answer.",
    "We are a leading provider of innovative, end-to-end solutions for the modern enterprise.",
    "Our platform leverages synergy across best-in-class workflows to move the needle.",
    "I've been doing this for eleven years and I really love my work.",
    "Last quarter we moved a four-site veterinary group off spreadsheets in nine days.",
    "I'm looking for new clients, honestly anyone who needs a website.",
    "If you know somebody, please send them my way.",
    "Who do you know that just opened a second clinic in the Midlands?",
    "I'd love an introduction to HR directors at 50-200 person logistics firms in Tulsa.",
    "Could you introduce me to Priya Shah at Fieldstone Dental?",
    "Act now, because this offer expires on Friday and the price goes up after that!",
    "We are the number one, world-class team in the region, guaranteed.",
    "Just following up on my last three emails to see if you had a chance to look.",
    "Thanks in advance for your help with this.",
    "I know you're busy, so I'll keep this short.",
    "In order to really understand your needs, we would basically need to schedule a call.",
    "It's a one-stop shop for all your marketing needs, from logos to leads.",
    "You mentioned that your drivers keep leaving for Amazon, and that stuck with me.",
    "What's the hardest part of scheduling crews across three counties right now?",
    "My cards are on the table if anyone wants one.",
    "We utilize cutting-edge technology to deliver value-added results at scale.",
    "I just wanted to circle back and touch base about the proposal.",
    "Would you be open to a twenty-minute call next Tuesday or Wednesday afternoon?",
    "If you hear a landlord say nothing on the market fits their tenants, think of me.",
    "Our clients are mostly family-owned hardware stores with one to three locations.",
    "I am very, very passionate about helping people achieve their dreams.",
    "BUY TODAY AND SAVE FORTY PERCENT!!!",
    "Perhaps we might possibly be able to maybe help a little, if that's okay.",
    "Great meeting you at the Chamber breakfast on Thursday.",
    "I attached the one-page case study from the Riverside food bank project.",
    "No pressure at all, and no need to reply if the timing is wrong.",
    "The people I'd love to meet are owners of gyms with a few hundred members who are outgrowing paper sign-ups.",
    "We cut month-end close from ten days to four for a regional credit union.",
    "Let me know if you'd like me to introduce you to Marcus, who runs the co-op on Fifth Street.",
];

/// Sentences of ordinary prose, so large files read like documents rather than a pitch pasted
/// over and over, and most sentences give most rules nothing to find.
const PROSE_SENTENCES: &[&str] = &[
    "The harbour was quiet in the early morning, and the gulls circled the fishing boats.",
    "She kept the ledger in a green notebook that smelled faintly of pipe tobacco.",
    "By noon the market square had filled with stalls selling apples, cheese and wool.",
    "Nobody on the committee could remember why the bridge had been painted orange.",
    "The train from the coast was late again, so the meeting started without the engineers.",
    "He measured the timber twice, cut it once, and still the shelf leaned to the left.",
    "Rain had softened the path, and their boots sank into the mud at every step.",
    "The library closed at six, but the caretaker let students stay until the lamps went out.",
    "Prices rose through the winter, and the bakery started selling half loaves.",
    "When the storm passed, the whole street came out to clear the branches.",
    "The report ran to forty pages, most of them tables nobody would read.",
    "A small dog followed the postman from the corner shop to the church and back.",
    "The old mill had been turned into flats, though the wheel still turned in spring.",
    "Their daughter learned to sail on the reservoir the summer she turned nine.",
    "The council met on the first Monday of each month in a room above the fire station.",
    "Most of the orchard had been planted by her grandfather before the war.",
    "It took three weeks to find the leak, and it was behind the kitchen tiles all along.",
    "The radio played folk songs late into the night while the kettle boiled.",
    "Visitors came for the cathedral and stayed for the fish stew at the harbour inn.",
    "He wrote letters every Sunday, even after the telephone line reached the valley.",
    "The garden was full of beans that year, more than the family could possibly eat.",
    "On clear evenings you could see the lights of the next town across the bay.",
    "The ferry timetable changed in October, which surprised nobody but the tourists.",
    "A careful reader would notice that the second chapter contradicts the first.",
];

/// A SplitMix64 generator: tiny, fast and the same everywhere.
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next_u64() % (hi - lo + 1) as u64) as usize
    }

    /// One item of a non-empty slice.
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let at = self.range(0, items.len() - 1);
        items.get(at).copied().unwrap_or("")
    }
}

/// Prose of at least `bytes` bytes: paragraphs of four to seven sentences separated by blank
/// lines, about one sentence in four taken from the pitch sentences.
pub fn prose(bytes: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(bytes + 1024);
    while out.len() < bytes {
        let sentences = rng.range(4, 7);
        for i in 0..sentences {
            if i > 0 {
                out.push(' ');
            }
            let pool = if rng.range(0, 3) == 0 { PITCH_SENTENCES } else { PROSE_SENTENCES };
            out.push_str(rng.pick(pool));
        }
        out.push_str("\n\n");
    }
    out
}

/// Sentences with names and words spelled with accents, as real drafts have them.
const ACCENTED_SENTENCES: &[&str] = &[
    "José and Zoë from the café on Rue Saint-Honoré asked for my résumé.",
    "François runs a naïve-art gallery in Kraków and is looking for a framer.",
    "I met Chloé Dvořák at the Łódź expo; she needs a caterer for forty.",
    "Our best client this year was Søren’s bakery in Århus.",
    "Ask Renée about the pâtisserie order before Thursday.",
    "Mañana works for Iñigo, who handles the façade repairs.",
];

/// Emoji that end a sentence in a message now and then.
const EMOJI: &[&str] = &["\u{1F642}", "\u{1F44D}", "\u{1F680}", "\u{1F389}"];

/// [`prose`] as word processors and phones type it: curly apostrophes and quotation marks, em
/// dashes and ellipses, a sentence with accented names in about one paragraph in four, and an
/// emoji after about one paragraph's last sentence in six. A little longer than `bytes`.
pub fn typed_prose(bytes: usize, seed: u64) -> String {
    let plain = prose(bytes, seed);
    let mut rng = Rng::new(seed ^ 0x7e5e_d000);
    let mut out = String::with_capacity(plain.len() + plain.len() / 8);
    let mut opening = true;
    for paragraph in plain.split_terminator("\n\n") {
        let typed = paragraph.replace("...", "\u{2026}").replace(" - ", " \u{2014} ").replace('\'', "\u{2019}");
        for c in typed.chars() {
            if c == '"' {
                out.push(if opening { '\u{201C}' } else { '\u{201D}' });
                opening = !opening;
            } else {
                out.push(c);
            }
        }
        if rng.range(0, 3) == 0 {
            out.push(' ');
            out.push_str(rng.pick(ACCENTED_SENTENCES));
        }
        if rng.range(0, 5) == 0 {
            out.push(' ');
            out.push_str(rng.pick(EMOJI));
        }
        out.push_str("\n\n");
    }
    out
}

/// One submission of `min_words..=max_words` words (whole sentences, so it may run a sentence
/// past the target), mostly pitch sentences with some plain prose.
pub fn submission(rng: &mut Rng, min_words: usize, max_words: usize) -> String {
    let target = rng.range(min_words, max_words);
    let mut out = String::new();
    let mut words = 0;
    while words < target {
        let pool = if rng.range(0, 4) == 0 { PROSE_SENTENCES } else { PITCH_SENTENCES };
        let sentence = rng.pick(pool);
        let count = sentence.split_whitespace().count();
        if words >= min_words && words + count > max_words {
            break;
        }
        if !out.is_empty() {
            out.push(if rng.range(0, 5) == 0 { '\n' } else { ' ' });
        }
        out.push_str(sentence);
        words += count;
    }
    out.push('\n');
    out
}

/// A class of `n` submissions of 60–250 words, in a fixed order.
pub fn class(n: usize, seed: u64) -> Vec<String> {
    let mut rng = Rng::new(seed);
    (0..n).map(|_| submission(&mut rng, 60, 250)).collect()
}

/// Seeds, so the files and the in-process benchmarks agree.
pub const PROSE_SEED: u64 = 0x5eed_0001;
/// Seed of the class.
pub const CLASS_SEED: u64 = 0x5eed_0002;
