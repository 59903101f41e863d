//! Where output goes and what it may contain: files never lost or left half
//! written, closed streams, text that must not run as code in a spreadsheet,
//! terminal or Markdown viewer, and the format chosen from the file name.

mod common;

use std::process::{Command, Stdio};

use common::*;

const SMALL_CSV: &str = "tests/data/small.csv";
const SMALL_TOML: &str = "tests/data/small.toml";

/// Runs `kmgov` through `sh -c`, for redirections only a shell can make.
fn shell(script: &str) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .env("KMGOV", kmgov_path())
        .output()
        .expect("sh runs")
}

const DEF: &str = "[index]\nname = \"T\"\n[method]\nnormalize = \"none\"\n[[dimension]]\nid = \"d\"\n[[dimension.indicator]]\nid = \"x\"\n";

/// A folder with `k.toml` (normalize = none, one indicator `x`) and `d.csv`.
fn case(csv: &str) -> (tempfile::TempDir, String, String) {
    let folder = tempfile::tempdir().unwrap();
    let def = write(folder.path(), "k.toml", DEF);
    let data = write(folder.path(), "d.csv", csv);
    (folder, data, def)
}

fn score(data: &str, def: &str, extra: &[&str]) -> Output {
    kmgov_process()
        .args(["score", data, "--config", def])
        .args(extra)
        .output()
        .unwrap()
}

// ---- nothing lost ---------------------------------------------------------

#[test]
fn stdin_redirected_from_the_output_file_is_not_overwritten() {
    let folder = tempfile::tempdir().unwrap();
    let data = folder.path().join("data.csv");
    fs::copy(SMALL_CSV, &data).unwrap();
    let before = fs::read(&data).unwrap();
    let output = kmgov_process()
        .args(["score", "-", "--config", SMALL_TOML, "--output"])
        .arg(&data)
        .stdin(Stdio::from(fs::File::open(&data).unwrap()))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", messages(&output));
    assert!(messages(&output).contains("refusing to write the output over the input"));
    assert_eq!(fs::read(&data).unwrap(), before);
}

#[test]
fn stdin_from_another_file_may_be_written_elsewhere() {
    let folder = tempfile::tempdir().unwrap();
    let out = folder.path().join("scores.csv");
    let output = kmgov_process()
        .args(["score", "-", "--config", SMALL_TOML, "--output"])
        .arg(&out)
        .stdin(Stdio::from(fs::File::open(SMALL_CSV).unwrap()))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", messages(&output));
    assert!(fs::read_to_string(&out).unwrap().starts_with("period,rank"));
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn new_output_files_get_the_umask_mode_and_replaced_ones_keep_theirs() {
    use std::os::unix::fs::PermissionsExt;
    let folder = tempfile::tempdir().unwrap();
    let new = folder.path().join("new.csv");
    let old = folder.path().join("old.csv");
    fs::write(&old, "old").unwrap();
    fs::set_permissions(&old, fs::Permissions::from_mode(0o664)).unwrap();
    let run = |umask: &str, out: &Path| {
        let output = shell(&format!(
            "umask {umask}; \"$KMGOV\" score {SMALL_CSV} --config {SMALL_TOML} -o '{}'",
            out.display()
        ));
        assert!(output.status.success(), "{}", messages(&output));
    };
    run("022", &new);
    assert_eq!(mode(&new), 0o644);
    // A tighter umask does not narrow a file that exists already.
    run("077", &old);
    assert_eq!(mode(&old), 0o664);
    assert!(fs::read_to_string(&old).unwrap().starts_with("period,rank"));
}

/// The hidden temporary files left in `folder`.
#[cfg(target_os = "linux")]
fn leftovers(folder: &Path) -> Vec<String> {
    fs::read_dir(folder)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".kmgov-") && name.ends_with(".tmp"))
        .collect()
}

/// The process state letter in /proc (`T` when stopped).
#[cfg(target_os = "linux")]
fn state(pid: u32) -> Option<char> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(") ")?.1.chars().next()
}

#[cfg(target_os = "linux")]
fn signal(pid: u32, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// Ctrl-C while the output file is being written leaves no temporary file.
#[cfg(target_os = "linux")]
#[test]
fn an_interrupted_write_leaves_no_temporary_file() {
    interrupted_write_leaves_no_temporary_file("INT", libc::SIGINT);
}

/// A closed terminal or dropped ssh session (SIGHUP) and Ctrl-\ (SIGQUIT)
/// leave no temporary file either.
#[cfg(target_os = "linux")]
#[test]
fn a_hangup_or_quit_while_writing_leaves_no_temporary_file() {
    interrupted_write_leaves_no_temporary_file("HUP", libc::SIGHUP);
    interrupted_write_leaves_no_temporary_file("QUIT", libc::SIGQUIT);
}

/// Sends `name` to kmgov while it writes its output file, and checks that
/// kmgov dies of that signal leaving no temporary file.
///
/// Not timing-dependent: the test waits for the temporary file to appear,
/// freezes kmgov with SIGSTOP (checking in /proc that it is stopped), checks
/// the file is still there, then sends the signal and SIGCONT. The signal is
/// handled before kmgov runs another instruction, so it cannot finish the
/// file first. If the whole write happened between two looks, the attempt
/// is repeated on a larger input.
#[cfg(target_os = "linux")]
fn interrupted_write_leaves_no_temporary_file(name: &str, number: libc::c_int) {
    use std::fmt::Write as _;
    use std::os::unix::process::{CommandExt, ExitStatusExt};
    let folder = tempfile::tempdir().unwrap();
    let def = folder.path().join("k.toml");
    fs::write(&def, DEF).unwrap();
    for attempt in 0..8 {
        let units = 20_000 << attempt.min(4);
        let mut csv = String::from("unit,period,x\n");
        for unit in 0..units {
            let _ = writeln!(csv, "unit number {unit},2019,{}", unit % 97);
        }
        let data = folder.path().join("d.csv");
        fs::write(&data, csv).unwrap();
        let out = folder.path().join("scores.json");
        let mut command = kmgov_process();
        command
            .args(["score"])
            .arg(&data)
            .arg("--config")
            .arg(&def)
            .arg("--output")
            .arg(&out)
            .current_dir(folder.path())
            .stderr(Stdio::null());
        // SAFETY: only async-signal-safe calls between fork and exec. The
        // signal must not be inherited as ignored (a test run under nohup),
        // and SIGQUIT's core dump is not wanted.
        unsafe {
            command.pre_exec(move || {
                let none = libc::rlimit {
                    rlim_cur: 0,
                    rlim_max: 0,
                };
                libc::setrlimit(libc::RLIMIT_CORE, &none);
                libc::signal(number, libc::SIG_DFL);
                Ok(())
            });
        }
        let mut child = command.spawn().unwrap();
        let pid = child.id();
        let caught = loop {
            if !leftovers(folder.path()).is_empty() {
                signal(pid, "STOP");
                while state(pid).is_some_and(|s| s != 'T') {
                    std::thread::yield_now();
                }
                break !leftovers(folder.path()).is_empty();
            }
            if child.try_wait().unwrap().is_some() {
                break false;
            }
        };
        if !caught {
            signal(pid, "CONT");
            let _ = child.wait();
            let _ = fs::remove_file(&out);
            continue;
        }
        signal(pid, name);
        signal(pid, "CONT");
        let status = child.wait().unwrap();
        assert_eq!(status.signal(), Some(number), "SIG{name}, yet {status}");
        assert_eq!(leftovers(folder.path()), Vec::<String>::new(), "SIG{name}");
        assert!(!out.exists(), "no output file, not even a partial one");
        return;
    }
    panic!("the temporary file was never seen while kmgov ran");
}

// ---- closed streams -------------------------------------------------------

#[test]
fn closed_stdout_is_an_error_not_a_silent_success() {
    let output = shell(&format!(
        "\"$KMGOV\" score {SMALL_CSV} --config {SMALL_TOML} >&-"
    ));
    assert_eq!(output.status.code(), Some(1));
    assert!(
        messages(&output).contains("standard output is closed"),
        "{}",
        messages(&output)
    );
}

#[test]
fn closed_stdout_is_fine_when_writing_a_file() {
    let folder = tempfile::tempdir().unwrap();
    let out = folder.path().join("s.csv");
    let output = shell(&format!(
        "\"$KMGOV\" score {SMALL_CSV} --config {SMALL_TOML} -o '{}' >&-",
        out.display()
    ));
    assert!(output.status.success(), "{}", messages(&output));
    assert!(out.exists());
}

/// A pipe whose reader has gone: writing to it fails with a broken pipe.
fn broken_pipe() -> std::io::PipeWriter {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    writer
}

#[test]
fn check_json_into_a_closed_pipe_does_not_panic() {
    let output = kmgov_process()
        .args([
            "check", SMALL_CSV, "--config", SMALL_TOML, "--format", "json",
        ])
        .stdout(broken_pipe())
        .output()
        .unwrap();
    // small.csv has no error: the verdict, not the pipe, decides.
    assert_eq!(output.status.code(), Some(0), "{}", messages(&output));
    assert!(!messages(&output).contains("panicked"));
}

#[test]
fn check_text_into_a_closed_stderr_does_not_panic() {
    let output = kmgov_process()
        .args(["check", "tests/data/kunming-broken.csv"])
        .stderr(broken_pipe())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn init_with_a_closed_stderr_does_not_panic() {
    let folder = tempfile::tempdir().unwrap();
    let output = shell(&format!(
        "\"$KMGOV\" init '{}' 2>&-",
        folder.path().join("idx").display()
    ));
    assert_eq!(output.status.code(), Some(0));
    assert!(folder.path().join("idx/kmgov.toml").exists());
    let output = kmgov_process()
        .arg("init")
        .arg(folder.path().join("idx2"))
        .stderr(broken_pipe())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn no_println_or_eprintln_in_the_sources() {
    // They panic on a closed stream; every path writes and handles errors.
    for entry in walk(Path::new("src")) {
        let text = fs::read_to_string(&entry).unwrap();
        for needle in ["println!", "print!(", "eprint!("] {
            assert!(!text.contains(needle), "{needle} in {}", entry.display());
        }
    }
}

fn walk(folder: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

// ---- text that must not run -----------------------------------------------

#[test]
fn csv_text_cells_that_are_formulas_get_a_quote_and_raw_opts_out() {
    let (_folder, data, def) =
        case("unit,period,x\n=1+2,2019,-1.5\n@SUM(A1),2019,2\n\"-2+3\",2019,3\nplain,2019,4\n");
    let csv = stdout(&score(&data, &def, &["--format", "csv"]));
    assert!(csv.contains(",'=1+2,"), "{csv}");
    assert!(csv.contains(",'@SUM(A1),"), "{csv}");
    assert!(csv.contains(",'-2+3,"), "{csv}");
    assert!(csv.contains(",plain,"), "{csv}");
    // Numbers are never touched.
    assert!(csv.contains(",-1.5,-1.5,"), "{csv}");
    let raw = stdout(&score(&data, &def, &["--format", "csv", "--raw"]));
    assert!(
        raw.contains(",=1+2,") && raw.contains(",@SUM(A1),"),
        "{raw}"
    );
    // JSON is data for programs: names as read.
    let json = stdout(&score(&data, &def, &["--format", "json"]));
    assert!(json.contains("\"unit\": \"=1+2\""), "{json}");
}

#[test]
fn control_characters_never_reach_the_terminal_raw() {
    let (_folder, data, def) =
        case("unit,period,x\n\"\u{1b}]0;owned\u{7}evil\u{1b}[2J\",2019,1\nok,2019,2\n");
    for format in ["table", "markdown"] {
        let text = stdout(&score(&data, &def, &["--format", format]));
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{text}"
        );
        // Markdown also escapes the backslash and the bracket.
        assert!(text.contains("u{1b}") && text.contains("0;owned"), "{text}");
    }
    // The same name in an error message.
    let (_folder, data, def) =
        case("unit,period,x\n\"a\u{1b}[31m\",2019,1\n\"a\u{1b}[31m\",2019,2\n");
    let output = score(&data, &def, &[]);
    assert_eq!(output.status.code(), Some(1));
    let text = messages(&output);
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(text.contains("a\\u{1b}[31m"), "{text}");
}

#[test]
fn markdown_shows_html_and_links_as_text() {
    let (_folder, data, def) = case(
        "unit,period,x\n<script>alert(1)</script>,2019,1\n\"<img src=x onerror=alert(1)>\",2019,2\n[x](javascript:alert(1)),2019,3\na|b,2019,4\n",
    );
    let md = stdout(&score(&data, &def, &["--format", "markdown"]));
    assert!(
        !md.contains("<script") && !md.contains("<img") && !md.contains("](javascript"),
        "{md}"
    );
    assert!(
        md.contains("&lt;script&gt;") && md.contains("\\[x\\]\\(javascript:"),
        "{md}"
    );
    assert!(md.contains("| a\\|b |"), "{md}");
}

#[test]
fn a_huge_unit_name_is_cut_and_fast() {
    let name = "名".repeat(2_000_000);
    let (_folder, data, def) = case(&format!("unit,period,x\n{name},2019,1\nB,2019,2\n"));
    let started = std::time::Instant::now();
    for format in ["table", "markdown"] {
        // A 6 MB row is over the default record limit: raise it, as a user would.
        let output = kmgov_process()
            .args(["score", &data, "--config", &def, "--format", format])
            .env("KMGOV_MAX_RECORD_BYTES", "16777216")
            .output()
            .unwrap();
        let text = stdout(&output);
        assert!(text.contains(&format!("{}…", "名".repeat(19))), "{format}");
        assert!(text.len() < 4_000, "{format}: {} bytes", text.len());
    }
    assert!(started.elapsed().as_secs() < 60);
}

// ---- numbers --------------------------------------------------------------

#[test]
fn no_inf_nan_or_negative_zero_in_any_format() {
    // A's previous composite is tiny, so its % change overflows; B's change
    // is 0 on a negative composite, so it has no % change (a percentage of a
    // composite not above zero is meaningless).
    let (_folder, data, def) =
        case("unit,period,x\nA,2018,1e-320\nA,2019,50\nB,2018,-5\nB,2019,-5\n");
    let csv = stdout(&score(&data, &def, &["--format", "csv"]));
    assert!(csv.contains("2019,1,A,50,50,50,,0\n"), "{csv}");
    assert!(csv.contains("2019,2,B,-5,-5,0,,0\n"), "{csv}");
    for format in ["table", "markdown", "json", "csv"] {
        let text = stdout(&score(&data, &def, &["--format", format]));
        for bad in ["inf", "NaN", "-0 ", "-0,", "-0.0,", "-0.00 "] {
            assert!(!text.contains(bad), "{bad:?} in {format}:\n{text}");
        }
    }
    let table = stdout(&score(&data, &def, &[]));
    assert!(table.contains("+50.00 ┆        –"), "{table}");
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&score(&data, &def, &["--format", "json"]))).unwrap();
    let units = &json["periods"][0]["units"];
    assert!(units[0]["pct_change"].is_null());
    // B's previous composite (−5) is not above zero: no percentage.
    assert!(units[1]["pct_change"].is_null());
}

#[test]
fn csv_writes_very_large_and_small_numbers_in_exponent_form() {
    let (_folder, data, def) = case("unit,period,x\nA,2019,1e-300\nB,2019,2.5e90\nC,2019,0.5\n");
    let csv = stdout(&score(&data, &def, &["--format", "csv"]));
    assert!(csv.contains(",B,2.5e90,2.5e90,"), "{csv}");
    assert!(csv.contains(",A,1e-300,1e-300,"), "{csv}");
    assert!(csv.contains(",C,0.5,0.5,"), "{csv}");
    assert!(csv.lines().all(|line| line.len() < 100), "{csv}");
}

// ---- output that fits where it goes ---------------------------------------

#[test]
fn dash_output_is_standard_output() {
    let output = kmgov_process()
        .args([
            "score", SMALL_CSV, "--config", SMALL_TOML, "-o", "-", "-f", "csv",
        ])
        .current_dir(".")
        .output()
        .unwrap();
    assert!(stdout(&output).starts_with("period,rank,unit"));
    assert!(!Path::new("-").exists());
}

#[test]
fn the_output_extension_chooses_the_format_unless_format_is_given() {
    let folder = tempfile::tempdir().unwrap();
    let run = |name: &str, extra: &[&str]| {
        let out = folder.path().join(name);
        let output = kmgov_process()
            .args(["score", SMALL_CSV, "--config", SMALL_TOML, "-o"])
            .arg(&out)
            .args(extra)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", messages(&output));
        (fs::read_to_string(out).unwrap(), messages(&output))
    };
    assert!(run("a.csv", &[]).0.starts_with("period,rank,unit"));
    assert!(run("a.CSV", &[]).0.starts_with("period,rank,unit"));
    assert!(run("a.json", &[]).0.starts_with("{\n  \"kmgov_version\""));
    assert!(run("a.md", &[]).0.starts_with("### "));
    assert!(run("a.markdown", &[]).0.starts_with("### "));
    assert!(run("a.txt", &[]).0.contains("┌──"));
    assert!(run("b.csv", &["--format", "json"]).0.starts_with('{'));
    let (text, warning) = run("a.xls", &[]);
    assert!(text.contains("┌──"));
    assert!(
        warning.contains("warning:") && warning.contains("names no output format"),
        "{warning}"
    );
    assert!(
        !run("c.xls", &["--format", "table"])
            .1
            .contains("names no output format")
    );
}

#[test]
fn ascii_style_has_no_ambiguous_width_characters() {
    for flag in [&["--ascii"][..], &["--style", "ascii"][..]] {
        let table = stdout(
            &kmgov_process()
                .args(["score", SMALL_CSV, "--config", SMALL_TOML, "--all-periods"])
                .args(flag)
                .output()
                .unwrap(),
        );
        for c in ['─', '┆', '═', '↑', '↓', '–', '—', 'Δ', '…'] {
            assert!(!table.contains(c), "{c} in\n{table}");
        }
        assert!(table.contains("|    1 | Unit, with comma |"), "{table}");
        assert!(table.contains("+2 |") && table.contains("0 |") && table.contains("-2 |"));
    }
}

// ---- properties -----------------------------------------------------------

mod properties {
    use std::sync::Arc;

    use kmgov::definition::Method;
    use kmgov::export::{Format, Options};
    use kmgov::report::{Changes, Detail, DimensionInfo, PeriodReport, Report, UnitRow};
    use proptest::prelude::*;

    fn report(names: &[String]) -> Report {
        Report {
            name: "T".into(),
            title: "T".into(),
            decimals: 2,
            unit_heading: "unit".into(),
            method: Method::default(),
            overrides: Vec::new(),
            dimensions: vec![DimensionInfo {
                id: "d".into(),
                name: "d".into(),
                weight: 1.0,
                aggregate: None,
            }],
            groups: Vec::new(),
            grades: Vec::new(),
            indicators: Vec::new(),
            changes: Changes::Level,
            detail: Detail::default(),
            filled: Vec::new(),
            area_columns: Vec::new(),
            has_code: false,
            by: None,
            periods: vec![PeriodReport {
                period: "2019".into(),
                total: Some(1.0),
                total_change: None,
                total_pct_change: None,
                total_dimensions: vec![Some(1.0)],
                total_dimension_changes: vec![None],
                total_groups: Vec::new(),
                total_group_changes: Vec::new(),
                grade_counts: Vec::new(),
                grade_summary: String::new(),
                areas: Vec::new(),
                units: names
                    .iter()
                    .enumerate()
                    .map(|(i, name)| UnitRow {
                        rank: Some(i as u32 + 1),
                        unit: Arc::from(name.as_str()),
                        composite: Some(1.0),
                        dimensions: vec![Some(1.0)],
                        change: None,
                        pct_change: None,
                        rank_change: Some(0),
                        grades: None,
                        detail: None,
                        labels: None,
                    })
                    .collect(),
            }],
        }
    }

    proptest! {
        /// Any unit name: CSV read back gives the name (with `'` before a
        /// formula unless --raw), the human formats carry no control
        /// character, and Markdown has no text a renderer turns into a link.
        #[test]
        fn names_survive_csv_and_never_reach_a_terminal_raw(
            names in proptest::collection::vec("\\PC{0,12}|[=+@\\-\t\r\u{1b}\u{7};,\"|<>\\[\\]()a-z0-9 ]{0,12}|[a-z]{0,3}(https?://|[wW]{3}\\.|@)[a-z.]{0,8}", 1..5)
        ) {
            let report = report(&names);
            for raw in [false, true] {
                let options = Options { raw, ..Options::default() };
                let bytes = Format::Csv.exporter_with(options).render(&report);
                let mut reader = csv::Reader::from_reader(&bytes[..]);
                let read: Vec<String> = reader
                    .records()
                    .map(|r| r.unwrap()[2].to_string())
                    .collect();
                prop_assert_eq!(read.len(), names.len());
                for (read, name) in read.iter().zip(&names) {
                    let restored = if raw { read.as_str() } else { read.strip_prefix('\'').filter(|_| !name.starts_with('\'')).unwrap_or(read) };
                    prop_assert_eq!(restored, name.as_str());
                    if !raw {
                        prop_assert!(!read.starts_with(['=', '@', '\t', '\r']));
                    }
                }
            }
            for format in [Format::Table, Format::Markdown] {
                let text = String::from_utf8(format.exporter().render(&report)).unwrap();
                prop_assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{}", text);
            }
            let markdown = String::from_utf8(Format::Markdown.exporter().render(&report)).unwrap();
            let lower = markdown.to_ascii_lowercase();
            prop_assert!(!lower.contains("://") && !lower.contains("www."), "{}", markdown);
            prop_assert_eq!(markdown.matches('@').count(), markdown.matches("@&#8288;").count());
        }
    }
}
