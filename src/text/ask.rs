//! Finding requests and scoring how specific they are: the heart of pitchlint.
//!
//! A *request* is a sentence that asks the listener for something or states what the writer is
//! looking for ("Could you introduce me…", "I'm looking for…", "My ideal client is…",
//! "If you know anyone…, send them my way"). A request *about people* (it names a target such as
//! clients, anyone, owners, an introduction) is scored on six slots a listener needs to picture
//! one person: role, kind of organisation, size, place, a named person or organisation, and a
//! trigger event. A named person and a trigger event are worth two slots each: "Could you
//! introduce me to Priya Shah?" and "if you hear a landlord say nothing fits" are as actionable as
//! asks get.

use std::sync::LazyLock;

use super::{Sentence, Word, WordClass};
use crate::pattern::{Candidate, Options, Pattern as Regex, PatternSet};
use crate::span::Span;

/// A lexicon: parsed, and compiled branch by branch, only where its literals occur (see
/// [`crate::pattern`]); `every_lexicon_compiles` proves each one valid.
fn build(pattern: &str, ignore_case: bool) -> Regex {
    Regex::new(pattern, Options::case_insensitive(ignore_case))
}

/// Builds ahead of a long text what its sentences are searched with here (see
/// [`Regex::prepare_for_sentences`]): the lexicons that long texts search enough sentences
/// with to build their whole regexes.
///
/// Not the others, which most long texts never build, so that building them here was work
/// lost: the role and organisation lexicons (7 ms of CPU on the 10 MiB corpus, together) are
/// searched where the specificity set finds their literals and on single words (see
/// `has_name`); the target and audience lexicons by the unspecific-ask rule, which stops at
/// the first specific description, early in most long texts. Of seven long texts (the corpus,
/// typed prose, the seed articles, manuals, release notes, emoji-laden prose, a class's
/// pitches run together), none built the role, organisation or target lexicon's whole regex,
/// and four not the audience lexicon's. A text that needs one builds it when it first does.
pub(crate) fn prepare_for_long_text() {
    for lexicon in [&*OFFER, &*DIRECT, &*SELF_INTRO, &*LISTENER_WORDS] {
        lexicon.prepare_for_sentences();
    }
    // The others are searched as a set (see `lexicons_in`).
    LazyLock::force(&SPECIFICITY_SET);
}

/// Words joined into `(?-u:\b)(?:a|b|c)(?-u:\b)`: ASCII word boundaries are much faster than
/// Unicode ones and are right for English keywords.
fn words(list: &str) -> String {
    format!("(?-u:\\b)(?:{list})(?-u:\\b)")
}

static REQUEST: LazyLock<Regex> = LazyLock::new(|| {
    let parts = [
        r"^(?:(?:[\d\-*]|•)+[.)\]]?\s*)?(?:so,? |and |but |also,? |now,? )?(?:could|would|can|will|might) you",
        r"(?:could|would|can|will) you (?:please |kindly |possibly |maybe )?(?:introduce|intro|connect|recommend|refer|share|send|point|put|help|let|spare|make|forward|pass|keep|think|suggest|tell|give|join|meet|look|review|read|check|take|consider|come|email|call|text|post|write|sign|buy|donate|vote|follow|like|subscribe|endorse|be|co-?author|mentor)",
        r"(?:would|are) you (?:be )?(?:open|up for|willing|free|available|interested|able|happy|game)",
        r"who do you know",
        r"do you (?:happen to )?know (?:anyone|someone|anybody|any|a|an|of|who|the|people|folks)",
        r"^(?:do you |you |so,? |and )?know (?:anyone|anybody|someone|somebody)",
        r"intro(?:duction)?s? to",
        r"introduce (?:me|us)",
        r"(?:i'm|i’m|i am|we're|we’re|we are) (?:most |especially |particularly |mainly |mostly )?(?:interested in|keen to meet|hoping to meet|trying to reach|trying to meet)",
        r"(?:i'd|i’d|i would|we'd|we’d|we would) (?:really |so |very much |greatly |also |still )?(?:love|like|appreciate|welcome|value|be (?:grateful|thankful|indebted))",
        r"(?:i'm|i’m|i am|we're|we’re|we are|i'm always|i’m always|i am always|we are always|currently) (?:always |currently |actively |really )?(?:looking|hoping|searching|trying to find|keen|eager|seeking|on the lookout)",
        r"(?:i|we) (?:really |always |just |also )?(?:want|need|seek|am after|are after) (?:more |new |some |a few |to (?:meet|find|connect|reach|get|work|talk|grow))",
        r"(?:i|we) (?:also |really |just |still )?(?:need|want) (?:an? |some |more |new |help|advice|office|space|staff|funding|investors|introductions|intros)",
        r"(?:worth (?:our|your) while|explore (?:whether|if|ways|opportunities|a (?:potential |possible )?(?:partnership|collaboration|synergy))|opportunit(?:y|ies) (?:for|to) (?:collaborat|partner|work together|connect))",
        r"looking for (?:an? |more |new |some |your )?(?:intro|introduction|referral|connection|client|customer|lead|work|partner|contact|help|advice|mentor|job|role|position|opportunit)",
        r"(?:my|our) (?:ideal|perfect|best|target|dream|typical) (?:client|customer|referral|introduction|intro|prospect|contact|partner|buyer|employer|match)",
        r"(?:a |the )?(?:good|great|perfect|ideal|best) (?:referral|introduction|intro|contact|lead|fit|connection)s? (?:for (?:me|us) )?(?:is|are|would be|would look like)",
        r"(?:the )?(?:people|folks|person) (?:i'd|i’d|i would|we'd|we would) (?:love|like) to (?:meet|talk to|reach)",
        r"if you (?:know|hear|come across|meet|run into|think of|see|have|ever)",
        r"send (?:them|anyone|anybody|people|folks|referrals|those|him|her|clients|business|work) (?:my|our|over|along|across)",
        r"(?:keep|bear) (?:me|us) in mind",
        r"think of (?:me|us)",
        r"pass (?:my|our|along my|along our|on my|on our) (?:name|details|card|number|info|contact)",
        r"(?:please|kindly|pls) (?:introduce|connect|send|share|let|reply|call|email|forward|consider|refer|reach|get|contact|pass|keep|think|tell|check|review)",
        r"let (?:me|us) know (?:if|whether|when|who|what|how)",
        r"(?:can|could|may|might) (?:i|we) (?:ask|get|have|borrow|grab|buy you|take you|book|schedule|set up|send|share|steal|pick|come|join|call|visit|introduce)",
        r"(?:want|fancy|free|care|like) to (?:grab|get|meet|chat|talk|catch up|hop|jump|connect)",
        r"open to (?:a|an|meeting|chatting|talking|connecting|hearing|exploring)",
        r"(?:any|your) (?:advice|tips|pointers|suggestions|recommendations|guidance|input|feedback|thoughts)",
        r"(?:i|we) (?:was|were|am|are) (?:just )?(?:wondering|hoping) (?:if|whether|that|to|you)",
        r"how about",
        r"(?:glad|grateful|thankful) (?:of|for) (?:an? )?(?:intro|introduction|referral|name|connection)",
        r"(?-u:\b)(?:please|kindly|pls) (?:do |just |also )?[a-z]{3,}",
        r"if (?:anybody|anyone|somebody|someone|you) (?:ever )?needs?",
        r"if (?:anybody|anyone|somebody|someone)(?:'s| has| have)? (?:got|has|have|knows?|hears?|sees?|comes? across)",
        r"^(?:so,? )?(?:any(?:one|body)|does any(?:one|body)|has any(?:one|body)) (?:got|have|has|know|knows)",
        r"^(?:currently |still |always )?looking for",
        r"(?:referrals?|introductions?|intros?) (?:are|is) (?:always )?(?:welcome|appreciated|the best)",
    ];
    build(&parts.join("|"), true)
});

/// Offers phrased like requests: "Would you like me to introduce you…", "Happy to send…".
static OFFER: LazyLock<Regex> = LazyLock::new(|| {
    build(
        r"(?:like|love|want) to introduce you|introduce you (?:two|both|to each other)|(?:would|do) you (?:like|want) (?:me|us) to|(?:want|like) me to (?:introduce|connect|send|share|put)|shall (?:i|we)|(?:can|could|may) (?:i|we) (?:introduce|connect|send|share|put) you|(?:happy|glad|delighted) to (?:introduce|connect|send|share|help|put you)|if you (?:ever )?need (?:someone|somebody|a hand|help|me|an extra)|(?:i'm|i’m|i am) (?:around|free|available|happy|glad)|let me know if (?:you'd like|you would like|you want|i can|we can|that would help|it helps|you need|this helps|that helps)",
        true,
    )
});

/// An imperative request: "please…", "kindly…", "send them…".
static DIRECT: LazyLock<Regex> = LazyLock::new(|| {
    build(r"^(?:so,? |and |also,? )?(?:please|kindly|pls|do )|(?-u:\b)(?:please|kindly)(?-u:\b)", true)
});

/// A request for an introduction, a referral or clients (so its specificity matters), as
/// opposed to a request for advice, a meeting or a resource.
static TARGET: LazyLock<Regex> = LazyLock::new(|| {
    build(
        &words(
            r"intro(?:duction)?s?|introduce|connect (?:me|us)|interested in|hoping to meet|keen to meet|trying to (?:reach|meet)|put (?:me|us) in touch|point (?:me|us)|refer(?:ral|rals|red)?|send (?:them|those|him|her) (?:my|our) way|send (?:anyone|anybody|people|folks|clients|business|work|referrals)|pass (?:on |along )?(?:my|our) (?:name|details|card|number)|(?:know|hear of|come across|meet|run into|think of|talk to|speak (?:to|with)) (?:anyone|anybody|someone|somebody|people|folks|a few|any|a|an|of|who|whoever)|who do you know|(?:more|new|paying|good|ideal|best|target|dream|typical|some|any) (?:clients?|customers?|business|leads?|prospects?|buyers?|work|projects?|partners?|referrals?)|(?:clients?|customers?|leads?|prospects?) (?:who|that|in|like)|(?:looking for|seeking|want|need|after) (?:more |new |some )?(?:clients?|customers?|business|leads?|work|projects?|partners?|contacts?|connections?)|if (?:anybody|anyone|somebody|someone) (?:ever )?needs?|(?:meet|reach|find|work with|connect with|talk to|speak with) (?:more |new )?(?:\w+ )?(?:owners?|founders?|managers?|directors?|people|businesses|companies|firms|clients|customers)",
        ),
        true,
    )
});

static ROLE: LazyLock<Regex> = LazyLock::new(|| {
    build(
        &words(
            r"(?:who|that) (?:\w+ ){0,3}(?:runs?|owns?|manages?|leads?|heads?|founded|started|operates?) \w+|(?:who|that) (?:\w+ ){0,2}works? (?:in|at|for) \w+|farmers?|growers?|traders?|vendors?|sellers?|merchants?|stallholders?|landlords?|owners?|founders?|co-founders?|ceos?|cfos?|coos?|ctos?|cmos?|cios?|cpos?|chros?|presidents?|vps?|vice presidents?|directors?|heads? of \w+|managers?|partners?|principals?|buyers?|controllers?|hr|human resources|recruiters?|hiring managers?|editors?|producers?|dentists?|orthodontists?|doctors?|physicians?|gps?|surgeons?|nurses?|pharmacists?|therapists?|physios?|physiotherapists?|chiropractors?|vets?|veterinarians?|attorneys?|lawyers?|solicitors?|paralegals?|accountants?|cpas?|bookkeepers?|engineers?|developers?|designers?|architects?|contractors?|builders?|plumbers?|electricians?|roofers?|landscapers?|realtors?|estate agents?|agents?|brokers?|planners?|advisers?|advisors?|officers?|coordinators?|superintendents?|deans?|administrators?|admins?|teachers?|principals?|professors?|lecturers?|coaches?|trainers?|chefs?|bakers?|baristas?|landlords?|property managers?|facilities managers?|office managers?|practice managers?|operations managers?|ops managers?|procurement|purchasing|treasurers?|trustees?|board members?|executive directors?|pastors?|ministers?|councillors?|mayors?|journalists?|reporters?|writers?|authors?|photographers?|videographers?|marketers?|cmos?|sales leaders?|sales managers?|team leads?|leads? \w+ers|foremen|forem[ae]n|dispatchers?|drivers?|fleet managers?|caterers?|florists?|stylists?|investors?|angels?|vcs?|bankers?|underwriters?|actuaries|analysts?|scientists?|researchers?|librarians?|curators?|ux researchers?|product managers?|pms?|project managers?|hiring leads?|talent leads?|talent acquisition|people teams?|people ops|finance teams?|it managers?|it directors?|general managers?|gms?|store managers?|franchisees?|franchisors?|executives?|leaders?|mentors?|alumni",
        ),
        true,
    )
});

static ORG_KIND: LazyLock<Regex> = LazyLock::new(|| {
    build(
        &words(
            r"(?:who|that) (?:does|do|mostly does|specialises in|specializes in|focuses on|works on) \w+|co-?operatives?|cold[- ]storage|(?:thrift|savings|lending|investment|trade|trading|professional|business|parent|community|market|farmers|tenant|residents)(?:'|’)? (?:groups|circles|associations|societies|clubs|unions|co-?ops)|(?:construction|building|job) sites?|homeowners?|home ?owners?|renters?|tenants?|(?:older|new|historic|rental|family|period|victorian) (?:homes|houses|properties|buildings)|senior (?:communities|living|centers|centres)|assisted living|distribution cent(?:er|re)s?|fulfil?lment cent(?:er|re)s?|data cent(?:er|re)s?|medical cent(?:er|re)s?|clinics?|practices?|surger(?:y|ies)|restaurants?|baker(?:y|ies)|caf[eé]s?|coffee shops?|breweries|brewery|wineries|winery|distiller(?:y|ies)|bars?|pubs?|hotels?|motels?|b&bs?|law firms?|accounting firms?|firms? of \w+|agenc(?:y|ies)|manufacturers?|manufacturing|factor(?:y|ies)|plants?|warehouses?|distributors?|wholesalers?|retailers?|stores?|shops?|boutiques?|salons?|barbers?|spas?|gyms?|studios?|schools?|colleges?|universit(?:y|ies)|academ(?:y|ies)|nurser(?:y|ies)|daycares?|nonprofits?|non-profits?|charit(?:y|ies)|foundations?|hospitals?|hospices?|care homes?|nursing homes?|dealerships?|garages?|body shops?|farms?|startups?|start-ups?|scale-ups?|saas|fintechs?|insurers?|credit unions?|banks?|pharmac(?:y|ies)|dental|veterinary|churches?|councils?|co-ops?|cooperatives?|fleets?|trucking|haulage|hauliers?|logistics|3pls?|freight|construction|plumbing|hvac|roofing|landscaping|e-?commerce|online stores?|shopify|etsy|marketplaces?|law|legal|accountancy|architecture|engineering firms?|property management|real estate|brokerages?|mortgage|insurance|healthcare|hospitality|retail|wholesale|manufacturing|nonprofit|education|biotech|pharma|medtech|edtech|proptech|agritech|cleantech|media|publishers?|publishing|newsrooms?|theat(?:re|er)s?|galler(?:y|ies)|museums?|venues?|event planners?|wedding|caterers?|catering|food trucks?|grocers?|groceries|supermarkets?|trades|tradespeople|carpentry|joinery|cleaning companies|cleaners|security firms?|it providers?|msps?|software companies|software houses?|dev shops?|consultanc(?:y|ies)|recruitment agencies|staffing firms?|family offices?|fund managers?|hedge funds?|vc firms?|labs?|laborator(?:y|ies)|call centres?|call centers?|charters?|airlines?|airports?|ports?|mills?|mines?|utilities|energy|solar|utility companies|housing associations?|landlords|letting agents?|estate agents?|hoa|hoas|apartment complexes|condos?|property developers?|developers",
        ),
        true,
    )
});

static SIZE: LazyLock<Regex> = LazyLock::new(|| {
    build(
        r"(?-u:\b)(?:(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|a hundred|hundreds of|a dozen|dozens of)\s?(?:k|m|mm|million|billion)?\s*(?:-|–|to)?\s*\d*\s*(?:or more |or fewer |\+ |plus )?[- ]?(?:people|person|employees?|staff|seats?|locations?|sites?|stores?|branches|offices|trucks?|vans?|vehicles?|beds?|chairs?|rooms?|units?|doors?|members?|students?|pupils|users?|customers|clients|drivers|workers|engineers|lawyers|partners|dentists|doctors|nurses|physicians|providers|tables|covers)|(?:under|over|fewer than|less than|more than|at least|up to|around|about|roughly|between)\s+[$£€]?\d[\d,.]*|[$£€]\d[\d,.]*\s*(?:k|m|mm|million|billion)?|\d+\s*(?:-|–)\s*\d+|(?:\d[\d,.]*|two|three|four|five|six|ten|twenty|fifty|a hundred)\s?(?:or more|or fewer|or so|\+|plus|to \d+)\s+\w+s|solo|sole traders?|one[- ](?:person|man|woman|location|site)|single[- ](?:location|site|practice)|two[- ]location|multi[- ](?:site|location|branch)|family[- ](?:run|owned)|independent|mid-?market|enterprise|fortune \d+|series [abc]|seed[- ]stage|pre-seed)(?-u:\b)",
        true,
    )
});

static PLACE: LazyLock<Regex> = LazyLock::new(|| {
    build(
        r"(?-u:\b)(?:in|around|near|across|from|throughout|outside|within|of|on|at) (?:the |greater |north |south |east |west |central |downtown )?\p{Lu}[\p{L}'’.-]+|\p{Lu}[\p{L}]+[- ]based|(?i:\b(?:downtown|uptown|local|nearby|locally|here tonight|in (?:this|the) room|at this (?:event|meeting|group|table)|the (?:north|south|east|west) (?:side|end)|our (?:area|town|city|region|county)|this (?:area|town|city|region|county))\b)",
        false,
    )
});

/// A leading self-description clause: "I'm a financial planner and", "We are a small agency,".
static SELF_INTRO: LazyLock<Regex> = LazyLock::new(|| {
    build(
        r"^(?:(?:hi|hello|hey|good morning|good evening)(?: everyone| all| there| folks)?[,!—–-]*\s+)?(?:so,? |um,? |uh,? )?(?:(?:i'm|i’m|i am|we're|we’re|we are) (?:a|an|the|just a|currently a)\s[^,;:—–]{0,60}?(?:\s(?:and|but|so|who|that|based|with)\s|[,;:—–]\s?|\.|$)|(?:my name is|my name's|i'm|i’m|i am) \p{Lu}[\p{L}'’-]*(?: \p{Lu}[\p{L}'’-]*)?(?:[,;:—–.]\s?|\s(?:and|but|so)\s))",
        true,
    )
});

/// Sentences that describe whom the writer wants to meet or serves ("most of my clients are…",
/// "the people I'd like to meet are…", "I work with…"): a specific one makes a short
/// follow-on ask ("Know anyone?") specific too.
static AUDIENCE: LazyLock<Regex> = LazyLock::new(|| {
    build(
        &words(
            r"(?:i|we) (?:mostly |mainly |mostly just |only |usually |typically )?(?:help|work with|work for|serve|support|specialize in|specialise in|focus on|do|build|make|fix|teach|train|coach|represent|advise|sell to|design for|cater for|cater to)|(?:my|our) (?:clients?|customers?|work|practice|niche|focus|sweet spot|best referrals?|referrals?|ideal|typical)|most of (?:my|our)|(?:who|whom) (?:i|we)(?:'d| would)? (?:love|like|want|hope)|(?:i|we)(?:'d| would) (?:really |most )?(?:love|like|want) to (?:meet|be introduced to|connect with|talk to|speak with|reach)|recruiting for|hiring (?:a|an|for)|(?:i'?m|i am|we'?re|we are) after|what (?:i'?m|i am|we'?re|we are) (?:after|looking for|hoping for|hoping to find)|(?:trying|hoping|looking|aiming) to (?:find|reach|meet|connect with|identify|talk to)|you (?:mentioned|said|told me)|(?:app|tool|service|platform|product|program|programme|course|workshop|firm|agency|studio|clinic|shop|business) for|looking to hire|(?:a|an|the) (?:role|position|job|opening) (?:for|at|as|on)|(?:people|person|folks|someone|anyone|introductions?|intros?) (?:i|we)(?:'d| would)? (?:most |really )?(?:love|like|want|hope)|(?:intro|introduction|referral|connection)s? (?:for (?:me|us) )?(?:is|are|would be)|looking (?:for|to meet)|hoping to (?:meet|find|reach)|(?:people|clients|customers|owners|businesses|companies|firms) (?:who|that|with|in)|usually|typically|mostly",
        ),
        true,
    )
});

/// "You said…", "as you put it": the listener's own words, quoted back.
static LISTENER_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?-u:\b)(?:you (?:said|mentioned|told me|were saying|asked|described|wrote|put it)|your (?:words|phrase|point)|as you (?:said|put it))(?-u:\b)",
        Options::default(),
    )
});

/// True if the sentence quotes the listener's own words back ("you said you're losing
/// drivers"), so what it repeats is theirs, not the writer's.
pub fn quotes_listener(sentence: &str) -> bool {
    LISTENER_WORDS.is_match(sentence)
}

/// True if the sentence describes an audience or target (see [`AUDIENCE`]).
pub fn describes_audience(sentence: &str) -> bool {
    AUDIENCE.is_match(sentence)
}

/// The listener's own organisation or colleagues: as identifiable as a name.
static LISTENER_ORG: LazyLock<Regex> = LazyLock::new(|| {
    build(
        &words(
            r"(?:your|you're at|you work at) (?:own )?(?:company|team|firm|office|practice|school|department|organi[sz]ation|employer|boss|manager|colleagues?|co-?founder|cfo|ceo|coo|cto|hr (?:team|lead|director)|board|warehouse|clinic|site|store|restaurant|church|club|chapter|chamber|brother|sister|wife|husband|partner|friend|cousin|dad|mum|mom|mother|father|son|daughter|neighbou?r|brother-in-law|sister-in-law|uncle|aunt|roommate|classmate|old boss|former colleague)|where you work|at (?:the|your) (?:chamber|office|clinic|school|firm|company|council)",
        ),
        true,
    )
});

static TRIGGER: LazyLock<Regex> = LazyLock::new(|| {
    build(
        &words(
            r"(?:just|recently|newly) (?:moved|opened|raised|hired|merged|launched|bought|sold|started|lost|signed|expanded|acquired|relocated|retired|promoted|funded|won|landed|joined|left|took over)|(?:hiring|expanding|opening|relocating|retiring|moving|renovating|rebranding|launching|scaling|outgrowing|switching|upgrading|replacing|planning|migrating|selling|buying|struggling|frustrated|complaining|fundraising|raising|onboarding|restructuring|growing fast)|new (?:office|location|role|job|site|store|clinic|hire|manager|owner|ceo|director|building|practice|branch|warehouse|premises)|(?:who|that) (?:has|have|is|are|was|were) (?:just|about to|recently|currently|still|now)|about to|when(?:ever)? (?:someone|somebody|they|a|an|you hear)|(?:hear|hears|heard) (?:\w+ ){0,3}(?:say|says|saying|mention|mentions|talk|talking|complain|complaining|moan|ask|asking)|(?:says?|mentions?|complains?|talks?) (?:that|about)|whose \w+(?: \w+)? (?:has|have|is|are|needs?|just|keeps?|won'?t|doesn'?t)|(?:who|that) (?:already )?(?:support|supports|fund|funds|sponsor|sponsors|lend to|lends to|invest in|invests in|donate to|donates to|mentor|mentors|volunteer|volunteers)|tired of|fed up|losing|stuck on|behind on|stuck with|after (?:a|an|the) \w+",
        ),
        true,
    )
});

/// Sentence-initial or otherwise capitalised words that are not names.
const NOT_NAMES: &[&str] = &[
    "I",
    "I'm",
    "I’m",
    "I'd",
    "I’d",
    "I've",
    "I’ve",
    "I'll",
    "I’ll",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "OK",
    "Okay",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "LinkedIn",
    "Zoom",
    "Teams",
    "Google",
    "Christmas",
    "Easter",
    "English",
    "If",
    "And",
    "But",
];

/// How specific a request is, slot by slot.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Specificity {
    /// Names a role or profession ("HR directors", "dentists").
    pub role: bool,
    /// Names a kind of organisation or sector noun ("law firms", "bakeries").
    pub org_kind: bool,
    /// Gives a size ("10–50 staff", "single-location").
    pub size: bool,
    /// Gives a place ("in Tulsa", "downtown").
    pub place: bool,
    /// Names a person or organisation ("Priya Shah", "Fieldstone Dental").
    pub named: bool,
    /// Names a trigger event to listen for ("just opened a second site").
    pub trigger: bool,
}

impl Specificity {
    /// Score from 0 to 8: one point per slot, two for a named person or organisation and two for a
    /// trigger event (both let the listener think of one person on the spot).
    pub fn score(self) -> u32 {
        u32::from(self.role)
            + u32::from(self.org_kind)
            + u32::from(self.size)
            + u32::from(self.place)
            + 2 * u32::from(self.named)
            + 2 * u32::from(self.trigger)
    }

    /// The slots that are missing, in the order a coach would ask for them.
    pub fn missing(self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if !self.role {
            out.push("role");
        }
        if !self.org_kind {
            out.push("kind of company");
        }
        if !self.size {
            out.push("size");
        }
        if !self.place {
            out.push("place");
        }
        if !self.trigger {
            out.push("trigger");
        }
        out
    }
}

/// True if `sentence` makes a request of the listener or says what the writer is looking for.
pub fn is_request(sentence: &str) -> bool {
    REQUEST.is_match(sentence) && !OFFER.is_match(sentence)
}

/// True if the request is put to the listener as an instruction ("Please introduce me…").
pub fn is_direct(sentence: &str) -> bool {
    DIRECT.is_match(sentence)
}

/// True if the request is for introductions, referrals or clients, so its specificity matters.
pub fn targets_people(sentence: &str) -> bool {
    TARGET.is_match(sentence)
}

/// Scores the specificity of a sentence. `words` are the sentence's words, used to find names.
pub fn specificity(source: &str, sentence: &Sentence, words: &[Word]) -> Specificity {
    let full = sentence.span().text(source);
    // "I'm a financial planner and I'd love to meet people in healthcare": the speaker's own
    // role says nothing about whom they want to meet, so it does not count.
    let skip = SELF_INTRO.find(full).map_or(0, |m| m.end());
    let text = full.get(skip..).unwrap_or(full);
    // The words are in order: those after the introduction are a tail of them.
    let from = sentence.span().start + skip;
    let words = words.get(words.partition_point(|w| w.span().start < from)..).unwrap_or(&[]);
    let by_set = source.len() >= SET_FROM;
    let [place, listener_org, role, org_kind, size, trigger] = lexicons_in(text, by_set);
    Specificity { role, org_kind, size, place, named: has_name(source, sentence, words) || listener_org, trigger }
}

/// The lexicons [`specificity`] tries on a sentence, in the order of [`lexicons_in`]'s answers.
fn specificity_lexicons() -> [&'static Regex; 6] {
    [&PLACE, &LISTENER_ORG, &ROLE, &ORG_KIND, &SIZE, &TRIGGER]
}

/// The same lexicons as one set, searched once for all their literals.
static SPECIFICITY_SET: LazyLock<PatternSet> = LazyLock::new(|| {
    let slots = specificity_lexicons().map(Some);
    PatternSet::analyse(&slots);
    PatternSet::new(&slots)
});

/// Texts at least this long score their sentences with [`SPECIFICITY_SET`]: a pitch or a
/// draft has a few asks, and building the set costs it more than it saves; a long text has
/// thousands, and the set spares each a search per lexicon (and the lexicons their whole
/// regexes, which searching sentence after sentence alone would build).
const SET_FROM: usize = 1 << 12;

/// Whether each specificity lexicon matches `text`: searched with [`SPECIFICITY_SET`] once
/// (`by_set`), each lexicon then tried only where its own literals are, or lexicon by lexicon.
fn lexicons_in(text: &str, by_set: bool) -> [bool; 6] {
    if !by_set {
        return specificity_lexicons().map(|lexicon| lexicon.is_match(text));
    }
    let hits = SPECIFICITY_SET.scan(text, &[0]);
    let lexicons = specificity_lexicons();
    std::array::from_fn(|slot| {
        lexicons.get(slot).is_some_and(|lexicon| lexicon.is_match_in(text, 0..text.len(), hits.candidates(slot)))
    })
}

/// A capitalised word that is not the first word, not a pronoun, day or month, and not right
/// after a place preposition (that is a place, counted separately).
fn has_name(source: &str, sentence: &Sentence, words: &[Word]) -> bool {
    let mut prev: Option<&str> = None;
    let pronouns = WordClass::FIRST_SINGULAR.union(WordClass::SECOND).union(WordClass::FIRST_PLURAL);
    for (i, word) in words.iter().enumerate() {
        let text = word.span().text(source);
        // The word's own classes first: most words are not capitalised, and need nothing else.
        let candidate = word.class.contains(WordClass::CAPITALISED)
            && !word.class.contains(WordClass::ALL_CAPS)
            && !word.class.intersects(pronouns);
        if candidate
            && i != 0
            && !prev.is_some_and(|p| {
                ["in", "around", "near", "across", "from", "throughout", "outside", "within", "of", "at", "on"]
                    .iter()
                    .any(|t| p.eq_ignore_ascii_case(t))
            })
            && !word_follows_break(source, sentence, word)
            && !is_acronym(text)
            && !NOT_NAMES.contains(&text)
            && !ROLE.is_match(text)
            && !ORG_KIND.is_match(text)
        {
            return true;
        }
        prev = Some(text);
    }
    false
}

/// "SMEs", "CPAs", "HRBPs": two leading capitals mark an acronym, not a name.
fn is_acronym(word: &str) -> bool {
    let mut chars = word.chars();
    matches!((chars.next(), chars.next()), (Some(a), Some(b)) if a.is_uppercase() && b.is_uppercase())
}

/// True if the word directly follows a colon, dash, bullet or newline (a fresh start, so its
/// capital is not evidence of a name).
fn word_follows_break(source: &str, sentence: &Sentence, word: &Word) -> bool {
    let before = source.get(sentence.span().start..word.span().start).unwrap_or("");
    let trimmed = before.trim_end_matches([' ', '\t']);
    trimmed.ends_with([':', '\n', '-', '–', '—', '•', '*', '(', '"', '\u{201C}']) || trimmed.is_empty()
}

/// The lexicon [`is_request`] tests every sentence against first: a linter's pattern set finds
/// its literals in the same pass as the rules' (see [`is_request_in`]).
pub fn request_lexicon() -> &'static Regex {
    &REQUEST
}

/// [`is_request`] for the sentence at `span` of `source`, given the candidates of
/// [`request_lexicon`] in `source` (sorted, as a pattern set finds them; those outside the span
/// may be left out): most sentences hold none and are answered without a search.
pub(super) fn is_request_in(source: &str, span: Span, candidates: &[Candidate]) -> bool {
    // The set keeps a literal that needs a word start only after a boundary in the source; a
    // sentence starting right after a letter (none does, but the split does not promise it)
    // has a start the sentence alone would see as one.
    if !crate::pattern::boundary_before(source, span.start) {
        return is_request(span.text(source));
    }
    REQUEST.is_match_in(source, span.start..span.end, Some(candidates)) && !OFFER.is_match(span.text(source))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Document, InputFormat, Profile};

    fn score(text: &str) -> (bool, u32) {
        let doc = Document::parse(text, InputFormat::Plain, Profile::Pitch);
        let Some(sentence) = doc.sentences().first() else { return (false, 0) };
        (doc.is_request(sentence), specificity(text, sentence, doc.sentence_words(sentence)).score())
    }

    proptest::proptest! {
        /// The lexicons answer the same searched as a set as one by one, on made-up asks dense
        /// in their words, in words that start them, and in capitals.
        #[test]
        fn the_lexicon_set_answers_as_the_lexicons_do(pieces in proptest::collection::vec(proptest::sample::select(vec![
            "in Leeds", "in", "at", "the", "that", "who runs", "who", "runs a", "dentist", "dentists", "owners",
            "bakeries", "a bakery", "10 people", "50-200", "staff", "just opened", "opening", "hear", "say",
            "your company", "your", "company", "cold storage", "Series A", "downtown", "near", "Oak St",
            "café", "’s", ",", ".", "-", "  ", "\n", "who has just", "about to", "anyone", "Priya",
        ]), 0..14)) {
            let text = pieces.join(" ");
            proptest::prop_assert_eq!(lexicons_in(&text, true), lexicons_in(&text, false), "{:?}", text);
        }
    }

    #[test]
    fn vague_asks_score_zero() {
        assert_eq!(score("I'm looking for paying clients."), (true, 0));
        assert_eq!(score("If you know anyone who needs a website, send them my way."), (true, 0));
    }

    #[test]
    fn specific_asks_score_high() {
        let (request, s) = score("I'd love an introduction to HR directors at 50-200 person manufacturers in Tulsa.");
        assert!(request);
        assert!(s >= 4, "{s}");
        let (request, s) = score("Could you introduce me to Priya Shah?");
        assert!(request);
        assert!(s >= 2, "{s}");
        let (_, s) = score("Who do you know that just opened a second dental clinic?");
        assert!(s >= 2, "{s}");
    }

    /// A list marker before the ask (a bullet, a number, a dash) keeps it an ask.
    #[test]
    fn asks_after_list_markers_are_requests() {
        for text in
            ["• could you, by any chance?", "2) Could you, though?", "- can you, honestly?", "••• would you, then?"]
        {
            assert!(is_request(text), "{text}");
        }
        assert!(!is_request("• we could do it ourselves"));
    }

    #[test]
    fn the_listeners_own_words_are_recognised() {
        assert!(quotes_listener("You said you're losing drivers to Amazon."));
        assert!(!quotes_listener("We said nothing."));
    }

    #[test]
    fn statements_are_not_requests() {
        assert!(!score("We cut month-end close from ten days to four.").0);
    }

    #[test]
    fn every_lexicon_compiles() {
        for regex in [&*REQUEST, &*TARGET, &*ROLE, &*ORG_KIND, &*SIZE, &*PLACE, &*TRIGGER] {
            assert!(!regex.as_str().is_empty());
            assert!(!regex.is_match(""));
            assert!(regex.compile().is_ok(), "{}", regex.as_str());
        }
    }
}
