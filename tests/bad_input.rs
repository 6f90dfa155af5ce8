//! The bad-input matrix: malformed and hostile inputs run through the real binary. Every case
//! gives its documented exit code and a specific message, never a panic or a backtrace, and never
//! a changed or stray file. Small fixtures live in `fixtures/bad-input/`; large inputs are
//! generated in a temporary directory at test time.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::fs;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// One run of the binary.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// No panic message, no backtrace, no exit code from a crash.
    fn assert_clean(&self) -> &Self {
        for tell in ["panicked", "RUST_BACKTRACE", "stack backtrace", "internal error"] {
            assert!(!self.stderr.contains(tell), "{tell} in stderr:\n{}", self.stderr);
        }
        assert!(matches!(self.code, 0..=2), "exit code {}; stderr:\n{}", self.code, self.stderr);
        self
    }

    fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, code, "stdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }

    fn assert_stderr_has(&self, needles: &[&str]) -> &Self {
        for needle in needles {
            assert!(self.stderr.contains(needle), "{needle:?} not in stderr:\n{}", self.stderr);
        }
        self
    }
}

fn crate_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn command(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pitchlint"));
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("RUST_BACKTRACE", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Waits for `child`, killing it after `limit` so that a hang fails the test instead of CI.
fn finish(mut child: Child, limit: Duration) -> Run {
    let start = Instant::now();
    let mut stdout = child.stdout.take();
    let mut stderr = child.stderr.take();
    let out_reader = std::thread::spawn(move || {
        let mut text = Vec::new();
        if let Some(pipe) = stdout.as_mut() {
            let _ = pipe.read_to_end(&mut text);
        }
        text
    });
    let err_reader = std::thread::spawn(move || {
        let mut text = Vec::new();
        if let Some(pipe) = stderr.as_mut() {
            let _ = pipe.read_to_end(&mut text);
        }
        text
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("the binary can be waited for") {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("pitchlint did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out_reader.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned(),
    }
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    let child = command(dir, args).spawn().expect("the binary runs");
    finish(child, Duration::from_secs(120))
}

fn run(args: &[&str]) -> Run {
    run_in(crate_root(), args)
}

fn run_with_stdin(args: &[&str], input: &[u8]) -> Run {
    let mut child = command(crate_root(), args).stdin(Stdio::piped()).spawn().expect("the binary runs");
    let mut pipe = child.stdin.take().expect("stdin is piped");
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&input);
    });
    let result = finish(child, Duration::from_secs(120));
    writer.join().unwrap();
    result
}

/// Every file under `dir` (names relative to it), sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// A pitch with safe fixes ("in order to" → "to") and other findings, repeated to `bytes`.
fn pitch_of_size(bytes: usize, separator: &str) -> String {
    let paragraph = "I am writing in order to ask for an intro. We are the leading platform!!! \
                     Could you introduce me to the head of operations at a logistics firm in Leeds?";
    let mut text = String::with_capacity(bytes + paragraph.len());
    while text.len() < bytes {
        text.push_str(paragraph);
        text.push_str(separator);
    }
    text
}

#[test]
fn invalid_utf8_exits_2_and_says_where() {
    run(&["check", "--format", "concise", "fixtures/bad-input/latin1.txt"])
        .assert_clean()
        .assert_code(2)
        .assert_stderr_has(&["latin1.txt", "not valid UTF-8 at byte 3 (line 1, column 4)", "save the file as UTF-8"]);
}

#[test]
fn invalid_utf8_on_stdin_exits_2_and_says_where() {
    run_with_stdin(&["check", "-"], b"Hi Dana,\nWho do you kn\xc3ow?\n")
        .assert_clean()
        .assert_code(2)
        .assert_stderr_has(&["<stdin>", "UTF-8", "byte 22 (line 2, column 14)"]);
}

#[test]
fn a_binary_file_exits_2_as_looking_binary() {
    run(&["check", "--format", "concise", "fixtures/bad-input/pitch-photo.txt"])
        .assert_clean()
        .assert_code(2)
        .assert_stderr_has(&["pitch-photo.txt", "looks binary", "NUL byte at byte 8"]);
}

#[test]
fn binary_bytes_without_nul_still_look_binary() {
    let bytes: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8 | 1).collect();
    run_with_stdin(&["check", "-"], &bytes).assert_clean().assert_code(2).assert_stderr_has(&["looks binary"]);
}

#[test]
fn utf16_text_exits_2_and_says_to_save_as_utf8() {
    run(&["check", "fixtures/bad-input/utf16.txt"]).assert_clean().assert_code(2).assert_stderr_has(&[
        "utf16.txt",
        "not valid UTF-8",
        "UTF-16LE",
        "save the file as UTF-8",
    ]);
}

#[test]
fn an_empty_file_exits_0() {
    let run = run(&["check", "--format", "concise", "fixtures/bad-input/empty.txt"]);
    run.assert_clean().assert_code(0);
    assert!(run.stdout.contains("no findings"), "{}", run.stdout);
    run_with_stdin(&["check", "-"], b"").assert_clean().assert_code(0);
}

#[test]
fn bom_and_crlf_are_read_and_kept_by_fixes() {
    let lint = run(&["check", "--format", "concise", "fixtures/bad-input/bom-crlf.txt"]);
    lint.assert_clean().assert_code(1);
    // Line 3 despite the CRLFs, column 14 despite the byte-order mark two lines up.
    assert!(lint.stdout.contains("bom-crlf.txt:3:14:"), "{}", lint.stdout);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bom-crlf.txt");
    fs::copy(crate_root().join("fixtures/bad-input/bom-crlf.txt"), &path).unwrap();
    run_in(dir.path(), &["check", "--fix", "--format", "concise", "bom-crlf.txt"]).assert_clean();
    let fixed = fs::read(&path).unwrap();
    assert!(
        fixed.starts_with(b"\xef\xbb\xbfHi Dana,\r\n\r\nI am writing to ask"),
        "{:?}",
        String::from_utf8_lossy(&fixed)
    );
    assert!(fixed.ends_with(b"\r\n\r\nBest,\r\nSam\r\n"));
    assert_eq!(listing(dir.path()), ["bom-crlf.txt"]);
}

#[test]
fn missing_files_are_reported_and_the_others_still_linted() {
    let run = run(&["check", "--format", "concise", "no-such-pitch.txt", "fixtures/pitches/hard-sell.txt", "gone/"]);
    run.assert_clean()
        .assert_code(2)
        .assert_stderr_has(&["no-such-pitch.txt: no such file or directory", "gone/: no such file or directory"]);
    assert!(run.stdout.contains("hard-sell.txt:"), "the readable file is still linted:\n{}", run.stdout);
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_reported_and_the_others_still_linted() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("locked.txt"), "Buy now!!!").unwrap();
    fs::write(dir.path().join("open.txt"), "Buy now!!!").unwrap();
    fs::set_permissions(dir.path().join("locked.txt"), fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(dir.path().join("locked.txt")).is_ok() {
        return; // running as root: permissions do not stop reading
    }
    let run = run_in(dir.path(), &["check", "--format", "concise", "locked.txt", "open.txt"]);
    run.assert_clean().assert_code(2).assert_stderr_has(&["locked.txt: permission denied"]);
    assert!(run.stdout.contains("open.txt:"), "{}", run.stdout);
}

#[cfg(unix)]
#[test]
fn a_directory_loop_through_symlinks_does_not_hang_and_lints_each_file_once() {
    let dir = tempfile::tempdir().unwrap();
    let drafts = dir.path().join("drafts");
    fs::create_dir_all(drafts.join("inner")).unwrap();
    fs::write(drafts.join("inner/pitch.txt"), "Buy now!!!").unwrap();
    std::os::unix::fs::symlink("..", drafts.join("inner/up")).unwrap();
    std::os::unix::fs::symlink("../drafts", drafts.join("inner/again")).unwrap();
    std::os::unix::fs::symlink("self.txt", drafts.join("self.txt")).unwrap();
    let run = run_in(dir.path(), &["check", "--format", "concise", "drafts"]);
    run.assert_clean().assert_code(2).assert_stderr_has(&["self.txt"]);
    assert_eq!(run.stdout.matches("pitch.txt:1:1:").count(), 1, "{}", run.stdout);
}

#[cfg(unix)]
#[test]
fn a_walked_directory_follows_symlinks_to_files_and_directories() {
    // Entries are told apart by what the directory lists; a symbolic link is followed to see
    // what it points at (a file is linted, a directory walked).
    let dir = tempfile::tempdir().unwrap();
    let (drafts, elsewhere) = (dir.path().join("drafts"), dir.path().join("elsewhere"));
    fs::create_dir_all(&drafts).unwrap();
    fs::create_dir_all(&elsewhere).unwrap();
    fs::write(elsewhere.join("real.txt"), "Buy now!!!").unwrap();
    std::os::unix::fs::symlink("../elsewhere/real.txt", drafts.join("linked.txt")).unwrap();
    std::os::unix::fs::symlink("../elsewhere", drafts.join("more")).unwrap();
    let run = run_in(dir.path(), &["check", "--format", "concise", "drafts"]);
    run.assert_clean();
    for shown in ["linked.txt:1:1:", "real.txt:1:1:"] {
        assert_eq!(run.stdout.matches(shown).count(), 1, "{shown}\n{}", run.stdout);
    }
}

#[cfg(unix)]
#[test]
fn devices_and_fifos_do_not_hang_a_run() {
    let run = run(&["check", "/dev/zero"]);
    run.assert_clean().assert_code(2).assert_stderr_has(&["/dev/zero: looks binary"]);
    run_in(crate_root(), &["check", "/dev/null"]).assert_clean().assert_code(0);

    let dir = tempfile::tempdir().unwrap();
    let made = Command::new("mkfifo").arg(dir.path().join("pipe.txt")).status();
    if made.is_ok_and(|s| s.success()) {
        fs::write(dir.path().join("pitch.txt"), "Who do you know?").unwrap();
        run_in(dir.path(), &["check", "."]).assert_clean();
    }
}

#[test]
fn a_broken_config_exits_2_naming_the_file_and_the_place() {
    run(&["check", "fixtures/bad-input/broken-config/pitch.txt"]).assert_clean().assert_code(2).assert_stderr_has(&[
        "broken-config/pitchlint.toml",
        "missing comma",
        "pitchlint.toml:2:1",
    ]);
}

#[test]
fn an_unknown_config_key_exits_2_naming_the_file_and_the_key() {
    run(&["check", "fixtures/bad-input/unknown-key-config/pitch.txt"])
        .assert_clean()
        .assert_code(2)
        .assert_stderr_has(&["unknown-key-config/pitchlint.toml", "unknown field `fail_on`", "`fail-on`"]);
}

#[test]
fn a_config_error_is_reported_once_for_all_the_files_under_it() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("pitchlint.toml"), "selec = []\n").unwrap();
    for name in ["a.txt", "b.txt", "c.txt"] {
        fs::write(dir.path().join(name), "Who do you know?").unwrap();
    }
    let run = run_in(dir.path(), &["check", "."]);
    run.assert_clean().assert_code(2);
    assert_eq!(run.stderr.matches("pitchlint::config").count(), 1, "{}", run.stderr);
}

#[test]
fn an_oversized_config_is_refused_without_reading_it_all() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("big.toml");
    fs::write(&config, format!("# {}\n", "x".repeat(2 * 1024 * 1024))).unwrap();
    fs::write(dir.path().join("pitch.txt"), "Who do you know?").unwrap();
    run_in(dir.path(), &["check", "--config", "big.toml", "pitch.txt"])
        .assert_clean()
        .assert_code(2)
        .assert_stderr_has(&["big.toml", "larger than"]);
}

#[test]
fn a_rule_with_an_exploding_regex_is_rejected_by_the_size_limit() {
    run(&["check", "--isolated", "--rules", "fixtures/bad-input/rules-huge-regex", "fixtures/pitches/hard-sell.txt"])
        .assert_clean()
        .assert_code(2)
        .assert_stderr_has(&["exploding-repetition.toml", "exceeds the size limit", "exploding-repetition.toml:12:13"]);
}

#[test]
fn a_rule_with_a_backreference_is_rejected() {
    run(&[
        "check",
        "--isolated",
        "--rules",
        "fixtures/bad-input/rules-backreference",
        "fixtures/pitches/hard-sell.txt",
    ])
    .assert_clean()
    .assert_code(2)
    .assert_stderr_has(&["doubled-word.toml", "backreferences are not supported"]);
}

#[test]
fn too_long_patterns_and_too_large_rule_files_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let rule = |name: &str, pattern: &str, padding: usize| {
        format!(
            "code = \"CL9{}\"\nname = \"{name}\"\ncategory = \"clarity\"\nseverity = \"info\"\nkind = \"phrase\"\n\
             message = \"x\"\nhelp = \"x\"\nrationale = \"{}\"\n[match]\npatterns = ['{pattern}']\n\
             [examples]\nflag = [\"[[a]]\"]\npass = [\"b\"]\n",
            name.len(),
            "x".repeat(padding)
        )
    };
    fs::create_dir(dir.path().join("long")).unwrap();
    fs::write(dir.path().join("long/long-pattern.toml"), rule("long-pattern", &"a|".repeat(3000), 0)).unwrap();
    fs::create_dir(dir.path().join("large")).unwrap();
    fs::write(dir.path().join("large/large-file.toml"), rule("large-file", "a", 400 * 1024)).unwrap();
    fs::write(dir.path().join("pitch.txt"), "Who do you know?").unwrap();
    run_in(dir.path(), &["check", "--isolated", "--rules", "long", "pitch.txt"])
        .assert_clean()
        .assert_code(2)
        .assert_stderr_has(&["long-pattern.toml", "longer than 4096 characters"]);
    run_in(dir.path(), &["check", "--isolated", "--rules", "large", "pitch.txt"])
        .assert_clean()
        .assert_code(2)
        .assert_stderr_has(&["large-file.toml", "larger than 262144 bytes"]);
}

#[test]
fn nested_quantifiers_run_in_linear_time() {
    // `(?:a+)+b` takes exponential time in a backtracking engine, and quadratic time in a search
    // that restarts at every `a`; one pass of the `regex` crate's automaton is linear.
    let dir = tempfile::tempdir().unwrap();
    let rules = crate_root().join("fixtures/bad-input/rules-nested-quantifiers");
    let args = ["check", "--isolated", "--rules", rules.to_str().unwrap(), "--select", "CL903", "a.txt"];
    let small = seconds_to_run(dir.path(), "a.txt", &format!("{}!", "a".repeat(16 * 1024)), &args, 0);
    let large = seconds_to_run(dir.path(), "a.txt", &format!("{}!", "a".repeat(128 * 1024)), &args, 0);
    assert!(large < small * 24.0 + 2.0, "16 KiB took {small:.2} s, 128 KiB took {large:.2} s");
}

#[test]
fn a_closed_stdout_ends_quietly() {
    for format in ["concise", "human"] {
        let args = ["check", "--format", format, "fixtures/pitches/hard-sell.txt"];
        let mut child = command(crate_root(), &args).spawn().expect("the binary runs");
        drop(child.stdout.take()); // `| head -0`: the reader is gone before anything is written
        let run = finish(child, Duration::from_secs(60));
        run.assert_clean();
        assert!(run.stderr.is_empty(), "{format}: {}", run.stderr);
    }
}

#[test]
fn a_closed_stderr_does_not_crash_error_reporting() {
    let mut child = command(crate_root(), &["check", "no-such-file.txt"]).spawn().expect("the binary runs");
    drop(child.stderr.take());
    let run = finish(child, Duration::from_secs(60));
    assert_eq!(run.code, 2);
}

#[cfg(unix)]
#[test]
fn fix_on_a_read_only_file_exits_2_and_leaves_it_untouched() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pitch.txt");
    let original = "I am writing in order to ask for an intro.\n";
    fs::write(&path, original).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    run_in(dir.path(), &["check", "--fix", "pitch.txt"])
        .assert_clean()
        .assert_code(2)
        .assert_stderr_has(&["pitch.txt: cannot write fixes", "read-only"]);
    assert_eq!(fs::read_to_string(&path).unwrap(), original);
    assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o444);
    assert_eq!(listing(dir.path()), ["pitch.txt"]);
}

#[cfg(unix)]
#[test]
fn fix_through_a_symlink_rewrites_the_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("real.txt"), "I am writing in order to ask.\n").unwrap();
    std::os::unix::fs::symlink("real.txt", dir.path().join("link.txt")).unwrap();
    run_in(dir.path(), &["check", "--fix", "link.txt"]).assert_clean();
    assert!(fs::symlink_metadata(dir.path().join("link.txt")).unwrap().file_type().is_symlink());
    assert_eq!(fs::read_to_string(dir.path().join("real.txt")).unwrap(), "I am writing to ask.\n");
    assert_eq!(listing(dir.path()), ["link.txt", "real.txt"]);
}

#[test]
fn fix_leaves_no_temporary_file_behind() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a.txt", "b.md", "c.txt"] {
        fs::write(dir.path().join(name), "I am writing in order to ask. Buy now!!!\n").unwrap();
    }
    run_in(dir.path(), &["check", "--fix", "."]).assert_clean().assert_code(1);
    assert_eq!(listing(dir.path()), ["a.txt", "b.md", "c.txt"]);
    assert_eq!(fs::read_to_string(dir.path().join("a.txt")).unwrap(), "I am writing to ask. Buy now!!!\n");
}

#[cfg(unix)]
#[test]
fn an_interrupted_fix_leaves_the_file_whole_and_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pitch.txt");
    let original = pitch_of_size(400 * 1024, "\n\n");
    let fixed = original.replace("in order to", "to");
    let interrupt = |child: &Child| {
        let _ = Command::new("kill").args(["-INT", &child.id().to_string()]).status();
    };
    // Interrupted while linting, at a few moments.
    for delay_ms in [100, 700, 1500] {
        fs::write(&path, &original).unwrap();
        let child = command(dir.path(), &["check", "--fix", "--format", "concise", "pitch.txt"]).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        interrupt(&child);
        let run = finish(child, Duration::from_secs(120));
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        let now = fs::read_to_string(&path).unwrap();
        assert!(now == original || now == fixed, "after an interrupt at {delay_ms} ms the file is whole");
        assert_eq!(listing(dir.path()), ["pitch.txt"], "after an interrupt at {delay_ms} ms");
    }
    // Interrupted while the temporary file is being written, if we can catch it in time.
    let big_original = pitch_of_size(1024 * 1024, "\n\n");
    fs::write(&path, &big_original).unwrap();
    // Its report is not read until it ends: were it piped, a report larger than the pipe
    // would block it before it could end.
    let mut child = command(dir.path(), &["check", "--fix", "--format", "concise", "pitch.txt"])
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    let caught = loop {
        if listing(dir.path()).iter().any(|name| name.starts_with(pitchlint::fix::TEMP_PREFIX)) {
            interrupt(&child);
            break true;
        }
        if child.try_wait().unwrap().is_some() || Instant::now() > deadline {
            break false;
        }
        std::thread::yield_now();
    };
    let run = finish(child, Duration::from_secs(120));
    assert_eq!(listing(dir.path()), ["pitch.txt"], "no temporary file after the interrupt");
    let now = fs::read_to_string(&path).unwrap();
    if caught && run.code == 130 {
        assert!(run.stderr.contains("interrupted"), "{}", run.stderr);
    }
    assert!(now == big_original || now == big_original.replace("in order to", "to"), "the file is whole");
}

#[test]
fn a_large_file_is_linted() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("big.txt"), pitch_of_size(2 * 1024 * 1024, "\n\n")).unwrap();
    let run = run_in(dir.path(), &["check", "--format", "concise", "big.txt"]);
    run.assert_clean().assert_code(1);
    assert!(run.stdout.contains("findings"), "{}", &run.stdout[run.stdout.len().saturating_sub(200)..]);
}

/// Seconds to run `args` in `dir` on `text` written to `name`; a run over a minute fails.
fn seconds_to_run(dir: &Path, name: &str, text: &str, args: &[&str], code: i32) -> f64 {
    fs::write(dir.join(name), text).unwrap();
    let started = Instant::now();
    let child = command(dir, args).spawn().expect("the binary runs");
    finish(child, Duration::from_secs(60)).assert_clean().assert_code(code);
    started.elapsed().as_secs_f64()
}

/// 8× the input should take about 8× the time (less, with start-up); quadratic would be 64×.
fn assert_linear(small: &str, large: &str, args: &[&str], code: i32) {
    let dir = tempfile::tempdir().unwrap();
    let base = seconds_to_run(dir.path(), "pitch.txt", small, args, code);
    let big = seconds_to_run(dir.path(), "pitch.txt", large, args, code);
    assert!(big < base * 24.0 + 2.0, "{args:?}: {} B took {base:.2} s, {} B took {big:.2} s", small.len(), large.len());
}

#[test]
fn a_single_long_line_is_linted_in_time_linear_in_its_size() {
    let small = pitch_of_size(64 * 1024, " ");
    let large = pitch_of_size(512 * 1024, " ");
    for format in ["concise", "human"] {
        assert_linear(&small, &large, &["check", "--isolated", "--format", format, "pitch.txt"], 1);
    }
}

#[test]
fn a_line_of_one_word_repeated_is_linted_in_time_linear_in_its_size() {
    // Rule patterns with a repeated group ("more new good … clients") meet a candidate start at
    // every word; each must not rescan the rest of the line.
    for word in ["more ", "I "] {
        let small = word.repeat(16 * 1024 / word.len());
        let large = word.repeat(128 * 1024 / word.len());
        let args = ["check", "--isolated", "--exit-zero", "--format", "concise", "pitch.txt"];
        assert_linear(&small, &large, &args, 0);
    }
}

#[test]
fn a_sentence_with_thousands_of_findings_is_linted_in_time_linear_in_its_size() {
    // One sentence, one finding per word: the sentence-level filters of a rule (listener words,
    // `unless`, specificity) must be read once per sentence, not once per finding.
    for phrase in ["BUY ", "Buy now "] {
        let small = phrase.repeat(16 * 1024 / phrase.len());
        let large = phrase.repeat(128 * 1024 / phrase.len());
        let args = ["check", "--isolated", "--exit-zero", "--format", "concise", "pitch.txt"];
        assert_linear(&small, &large, &args, 0);
    }
}

#[test]
fn thousands_of_suppression_directives_are_handled_in_linear_time() {
    // Each directive covers the next paragraph; a run of them must not each rescan the rest.
    let lines = |n: usize| "pitchlint: ignore ASK\n".repeat(n) + "Buy now!!!\n";
    let args = ["check", "--isolated", "--format", "concise", "pitch.txt"];
    assert_linear(&lines(4 * 1024), &lines(32 * 1024), &args, 1);
    let comments = |n: usize| "<!-- pitchlint-disable HS -->\nBuy now!!!\n".repeat(n);
    let args = ["check", "--isolated", "--exit-zero", "--format", "concise", "--stdin-filename", "pitch.md", "-"];
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let mut child = command(dir.path(), &args).stdin(Stdio::piped()).spawn().unwrap();
    let mut pipe = child.stdin.take().unwrap();
    let text = comments(16 * 1024);
    let writer = std::thread::spawn(move || pipe.write_all(text.as_bytes()));
    finish(child, Duration::from_secs(60)).assert_clean().assert_code(0);
    writer.join().unwrap().unwrap();
    assert!(started.elapsed() < Duration::from_secs(60));
}

#[test]
fn human_output_cuts_a_huge_line_to_a_window_around_the_finding() {
    let dir = tempfile::tempdir().unwrap();
    let line = format!("{} Buy now!!! {}", "word ".repeat(20_000), "word ".repeat(20_000));
    fs::write(dir.path().join("line.txt"), &line).unwrap();
    let run = run_in(dir.path(), &["check", "--isolated", "--format", "human", "line.txt"]);
    run.assert_clean().assert_code(1);
    let column = line.find("Buy").unwrap() + 1;
    assert!(run.stdout.contains(&format!("line.txt:1:{column}]")), "{}", run.stdout);
    assert!(run.stdout.lines().all(|l| l.chars().count() < 1000), "no line of output is huge");
}

#[test]
fn a_file_over_the_size_limit_is_refused_without_being_read() {
    let dir = tempfile::tempdir().unwrap();
    let file = fs::File::create(dir.path().join("huge.txt")).unwrap();
    file.set_len(pitchlint::input::MAX_INPUT_BYTES + 1).unwrap(); // sparse: no disk used
    run_in(dir.path(), &["check", "huge.txt"])
        .assert_clean()
        .assert_code(2)
        .assert_stderr_has(&["huge.txt", "over the", "limit"]);
}

/// A file or a pipe longer than the head that is sniffed for binary content is read to its end,
/// and one shorter is read whole: a finding in the last line is reported either way.
#[test]
fn text_past_the_sniffed_head_is_read_to_the_end() {
    let dir = tempfile::tempdir().unwrap();
    for filler in [0, 200, 2_000] {
        let text = format!("{}Just checking in on the proposal.\n", "We fix leaking roofs in Leeds.\n".repeat(filler));
        fs::write(dir.path().join("draft.txt"), &text).unwrap();
        let last_line = filler + 1;
        let args = ["check", "--isolated", "--format", "concise", "--select", "FU001", "draft.txt"];
        let from_file = run_in(dir.path(), &args);
        from_file.assert_clean();
        assert!(from_file.stdout.contains(&format!("draft.txt:{last_line}:1: ")), "{filler}: {}", from_file.stdout);
        let piped =
            run_with_stdin(&["check", "--isolated", "--format", "concise", "--select", "FU001", "-"], text.as_bytes());
        piped.assert_clean();
        assert!(piped.stdout.contains(&format!(":{last_line}:1: ")), "{filler}: {}", piped.stdout);
    }
}
