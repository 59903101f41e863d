//! The command line: exit codes, messages on stderr, files written or refused.

mod common;

use std::io::Read;
use std::process::Stdio;

use common::*;
use predicates::prelude::*;

fn json_of(args: &[&str]) -> serde_json::Value {
    json(&run(args))
}

const TINY_DEF: &str =
    "[index]\nname = \"Tiny\"\n[[dimension]]\nid = \"d\"\n[[dimension.indicator]]\nid = \"x\"\n";

/// TINY_DEF scored by goalposts [0, 10]: a value of 50 lies outside them.
fn goalposts_def() -> String {
    TINY_DEF
        .replace(
            "[[dimension]]",
            "[method]\nnormalize = \"goalposts\"\n[[dimension]]",
        )
        .replace("id = \"x\"", "id = \"x\"\ngoalposts = [0, 10]")
}

#[test]
fn kunming_sample_totals_are_the_published_figures() {
    let json = json_of(&[
        "score",
        "samples/kunming.csv",
        "--all-periods",
        "--format",
        "json",
    ]);
    let periods = json["periods"].as_array().unwrap();
    let total = |i: usize| periods[i]["total"].as_f64().unwrap();
    assert_eq!(periods[0]["period"], "2017");
    assert_eq!(periods[2]["period"], "2019");
    assert_eq!(format!("{:.2}", total(0)), "80.76");
    assert_eq!(format!("{:.2}", total(2)), "81.46");
    assert!(total(0) < total(1) && total(1) < total(2));
    for period in periods {
        assert_eq!(period["units"].as_array().unwrap().len(), 14);
    }
}

#[test]
fn kunming_table_shows_the_latest_year_and_total() {
    kmgov()
        .args(["score", "samples/kunming.csv"])
        .assert()
        .success()
        .stdout(predicate::str::contains("昆明市社会治理指数 — 2019"))
        .stdout(predicate::str::contains("81.46"))
        .stdout(predicate::str::contains("寻甸回族彝族自治县"))
        .stdout(predicate::str::contains("2017").not());
}

#[test]
fn period_selects_one_period() {
    let json = json_of(&[
        "score",
        "samples/kunming.csv",
        "--period",
        "2017",
        "--format",
        "json",
    ]);
    assert_eq!(json["periods"].as_array().unwrap().len(), 1);
    assert_eq!(json["periods"][0]["period"], "2017");
    assert!(json["periods"][0]["total_change"].is_null());
}

#[test]
fn unknown_period_is_bad_usage_listing_the_periods() {
    kmgov()
        .args(["score", "samples/kunming.csv", "--period", "2030"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no period `2030`"))
        .stderr(predicate::str::contains("2017, 2018, 2019"));
}

#[test]
fn top_limits_units_but_not_the_total() {
    let json = json_of(&[
        "score",
        "samples/kunming.csv",
        "--top",
        "3",
        "--format",
        "json",
    ]);
    assert_eq!(json["periods"][0]["units"].as_array().unwrap().len(), 3);
    assert_eq!(
        format!("{:.2}", json["periods"][0]["total"].as_f64().unwrap()),
        "81.46"
    );
}

#[test]
fn csv_has_the_contract_header() {
    kmgov()
        .args(["score", "samples/kunming.csv", "--format", "csv"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "period,rank,unit,composite,vitality,services,environment,change,pct_change,rank_change\n2019,1,",
        ));
}

#[test]
fn unknown_flag_and_format_are_bad_usage() {
    kmgov()
        .args(["score", "samples/kunming.csv", "--colour"])
        .assert()
        .code(2);
    kmgov()
        .args(["score", "samples/kunming.csv", "--format", "xls"])
        .assert()
        .code(2);
    kmgov().assert().code(2);
}

#[test]
fn bad_cell_names_file_line_column_and_text() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(
        dir.path(),
        "d.csv",
        "unit,period,x\nA,2019,7O.2\nB,2019,3\n",
    );
    let config = write(dir.path(), "k.toml", TINY_DEF);
    kmgov()
        .args(["score", &data, "--config", &config])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains(
            "d.csv:2:3: `x`, unit A, period 2019: `7O.2` is not a number",
        ))
        .stderr(predicate::str::contains("hint:"));
}

#[test]
fn bad_config_names_the_item_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), "d.csv", "unit,period,x\nA,2019,1\n");
    let config = write(
        dir.path(),
        "k.toml",
        &TINY_DEF.replace("id = \"x\"", "id = \"x\"\nweight = -1"),
    );
    kmgov()
        .args(["score", &data, "--config", &config])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("k.toml:7:"))
        .stderr(predicate::str::contains("indicator `x`: weight -1"));
}

#[test]
fn missing_values_are_all_listed_with_a_count() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(
        dir.path(),
        "d.csv",
        "unit,period,x\nA,2019,\nB,2019,NA\nC,2019,1\n",
    );
    let config = write(dir.path(), "k.toml", TINY_DEF);
    kmgov()
        .args(["score", &data, "--config", &config])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "d.csv:2:3: indicator `x`, unit A, period 2019: the value is missing",
        ))
        .stderr(predicate::str::contains("d.csv:3:3: indicator `x`, unit B"))
        .stderr(predicate::str::contains("2 errors, 0 warnings"));
}

#[test]
fn missing_data_file_is_exit_one() {
    kmgov()
        .args(["score", "no/such/file.csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "no/such/file.csv: cannot read the data",
        ));
}

#[test]
fn stdin_is_read_with_a_dash() {
    let csv = fs::read("samples/kunming.csv").unwrap();
    kmgov()
        .args(["score", "-", "--format", "csv"])
        .write_stdin(csv)
        .assert()
        .success()
        .stdout(predicate::str::contains("2019,1,"));
}

#[test]
fn gbk_data_reads_like_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string("samples/kunming.csv").unwrap();
    let (gbk, _, _) = encoding_rs::GB18030.encode(&text);
    let path = dir.path().join("gbk.csv");
    fs::write(&path, &gbk).unwrap();
    let from_gbk = kmgov()
        .args(["score", path.to_str().unwrap(), "--format", "csv"])
        .output()
        .unwrap();
    let from_utf8 = kmgov()
        .args(["score", "samples/kunming.csv", "--format", "csv"])
        .output()
        .unwrap();
    assert!(from_gbk.status.success(), "{}", messages(&from_gbk));
    assert_eq!(from_gbk.stdout, from_utf8.stdout);
}

#[test]
fn output_file_is_written_whole() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    kmgov()
        .args([
            "score",
            "samples/kunming.csv",
            "--format",
            "csv",
            "--output",
            out.to_str().unwrap(),
        ])
        .assert()
        .success()
        .stdout("");
    let written = fs::read_to_string(&out).unwrap();
    assert!(written.starts_with("period,rank,unit"));
    assert_eq!(written.lines().count(), 15);
}

#[test]
fn output_refuses_to_overwrite_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let original = fs::read("samples/kunming.csv").unwrap();
    let data = dir.path().join("data.csv");
    fs::write(&data, &original).unwrap();
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink(&data, &link).unwrap();
    for target in [data.clone(), link, dir.path().join(".").join("data.csv")] {
        kmgov()
            .args([
                "score",
                data.to_str().unwrap(),
                "--output",
                target.to_str().unwrap(),
            ])
            .assert()
            .code(1)
            .stderr(predicate::str::contains(
                "refusing to write the output over the input",
            ));
    }
    assert_eq!(fs::read(&data).unwrap(), original);
}

#[test]
fn output_refuses_to_overwrite_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(
        dir.path(),
        "k.toml",
        &fs::read_to_string("config/kunming.toml").unwrap(),
    );
    kmgov()
        .args([
            "score",
            "samples/kunming.csv",
            "--config",
            &config,
            "--output",
            &config,
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("refusing"));
}

#[test]
fn full_disk_is_exit_one_with_a_clear_message() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    kmgov()
        .args(["score", "samples/kunming.csv", "--output", "/dev/full"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "/dev/full: cannot write the output",
        ));
}

#[test]
fn output_into_a_missing_folder_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("no-such-folder").join("out.csv");
    kmgov()
        .args([
            "score",
            "samples/kunming.csv",
            "--output",
            out.to_str().unwrap(),
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot write the output"));
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn closed_pipe_exits_quietly() {
    // Enough rows that the output outgrows the pipe buffer.
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("unit,period,x\n");
    for period in 0..20 {
        for unit in 0..2000 {
            csv.push_str(&format!(
                "unit{unit},{period},{}\n",
                (unit * 7 + period) % 100
            ));
        }
    }
    let data = write(dir.path(), "d.csv", &csv);
    let config = write(dir.path(), "k.toml", TINY_DEF);
    let mut child = kmgov_process()
        .args([
            "score",
            &data,
            "--config",
            &config,
            "--all-periods",
            "--format",
            "csv",
            "--quiet",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "exit {:?}", output.status);
    // --quiet silences the notes, and the closed pipe adds nothing.
    assert_eq!(messages(&output), "");
}

#[test]
fn check_passes_the_sample() {
    kmgov()
        .args(["check", "samples/kunming.csv"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "ok — 42 rows, 14 units, 3 periods",
        ));
}

#[test]
fn check_lists_every_problem_and_exits_one() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(
        dir.path(),
        "d.csv",
        "unit,period,x\nA,2019,abc\nA,2019,1\nB,2019,x\n",
    );
    let config = write(dir.path(), "k.toml", TINY_DEF);
    kmgov()
        .args(["check", &data, "--config", &config])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("d.csv:2:3"))
        .stderr(predicate::str::contains("d.csv:4:3"))
        .stderr(predicate::str::contains(
            "d.csv:3: unit A, period 2019 appears again (first on line 2)",
        ))
        .stderr(predicate::str::contains("3 errors"));
}

#[test]
fn check_json_is_for_tooling() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), "d.csv", "unit,period,x\nA,2019,abc\n");
    let config = write(dir.path(), "k.toml", TINY_DEF);
    let output = kmgov()
        .args(["check", &data, "--config", &config, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["ok"], false);
    assert_eq!(json["errors"], 1);
    assert_eq!(json["problems"][0]["severity"], "error");
    assert!(
        json["problems"][0]["location"]
            .as_str()
            .unwrap()
            .ends_with("d.csv:2:3")
    );
}

#[test]
fn init_writes_a_definition_and_a_matching_template() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("new");
    kmgov()
        .args(["init", target.to_str().unwrap()])
        .assert()
        .success();
    let config = fs::read_to_string(target.join("kmgov.toml")).unwrap();
    assert!(config.contains("昆明市社会治理指数"));
    let template = fs::read_to_string(target.join("data-template.csv")).unwrap();
    assert!(template.starts_with("district,year,population,volunteer_activity,"));
    assert_eq!(template.trim_end().split(',').count(), 3 + 46);
    // A second init refuses to overwrite.
    kmgov()
        .args(["init", target.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already exists"));
    // The empty template checks as "no data rows", naming the file.
    kmgov()
        .current_dir(&target)
        .args(["check", "data-template.csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "data-template.csv: the file has a header but no data rows",
        ));
}

#[test]
fn local_kmgov_toml_is_used_when_present() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "kmgov.toml", TINY_DEF);
    write(dir.path(), "d.csv", "unit,period,x\nA,1,1\nB,1,3\n");
    kmgov()
        .current_dir(dir.path())
        .args(["score", "d.csv", "--format", "csv"])
        .assert()
        .success()
        .stdout(predicate::str::contains("1,1,B,100,100,,,"));
}

#[test]
fn check_lists_bad_cells_repeats_missing_values_and_warnings_together() {
    let output = kmgov()
        .args(["check", "tests/data/kunming-broken.csv"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = messages(&output);
    for needle in [
        "kunming-broken.csv:30:4: `volunteer_activity`, unit 五华区, period 2019: `7O.2` is not a number",
        "kunming-broken.csv:32: unit 盘龙区, period 2019 appears again (first on line 31)",
        "kunming-broken.csv:35:20: indicator `medical_insurance`, unit 东川区, period 2019: the value is missing",
        "宜良县 2019 = 0.45 lies",
        "3 errors,",
    ] {
        assert!(stderr.contains(needle), "{needle:?} not in:\n{stderr}");
    }
    // The bad cell is reported as not a number, not again as missing.
    assert!(
        !stderr.contains("30:4: indicator `volunteer_activity`"),
        "{stderr}"
    );
}

#[test]
fn data_for_another_definition_gets_one_message_not_forty() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(
        dir.path(),
        "d.csv",
        "district,year,population,volunteer_activity\n五华区,2019,90,70\n",
    );
    let output = kmgov().args(["score", &data]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = messages(&output);
    assert!(
        stderr.contains(
            "d.csv: the data and the built-in definition do not match: 45 of its 46 indicator columns are not in the header: `volunteer_hours`"
        ),
        "{stderr}"
    );
    assert_eq!(stderr.matches("error:").count(), 1, "{stderr}");
}

/// A definition with a population column and an id that needs quoting in CSV.
const POP_DEF: &str = "[index]\nname = \"Pop\"\nlabel = \"人口指数\"\n[data]\npopulation = \"pop\"\n[[dimension]]\nid = \"d\"\n[[dimension.indicator]]\nid = \"x,1\"\n[[dimension.indicator]]\nid = \"y\"\n";

#[test]
fn init_from_copies_any_definition_with_its_template() {
    let dir = tempfile::tempdir().unwrap();
    let from = write(dir.path(), "my.toml", POP_DEF);
    let target = dir.path().join("new");
    kmgov()
        .args(["init", "--from", &from, target.to_str().unwrap()])
        .assert()
        .success()
        .stderr(predicate::str::contains("2 indicators in 1 dimensions"));
    assert_eq!(
        fs::read_to_string(target.join("kmgov.toml")).unwrap(),
        POP_DEF
    );
    assert_eq!(
        fs::read_to_string(target.join("data-template.csv")).unwrap(),
        "unit,period,pop,\"x,1\",y\n"
    );
    // The source is untouched, and a second run refuses with a hint that fits.
    assert_eq!(fs::read_to_string(&from).unwrap(), POP_DEF);
    kmgov()
        .args(["init", "--from", &from, target.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("kmgov.toml already exists"))
        .stderr(predicate::str::contains(format!(
            "kmgov init --from {from} DIR"
        )));
}

#[test]
fn init_long_writes_one_row_per_indicator_and_the_population() {
    let dir = tempfile::tempdir().unwrap();
    let from = write(dir.path(), "my.toml", POP_DEF);
    let target = dir.path().join("long");
    kmgov()
        .args(["init", "--long", "--from", &from, target.to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(target.join("data-template.csv")).unwrap(),
        "unit,period,indicator,value\nexample,2019,pop,\nexample,2019,\"x,1\",\nexample,2019,y,\n"
    );
    // The built-in definition: district, year, population and 46 indicators.
    let builtin = dir.path().join("builtin");
    kmgov()
        .args(["init", "--long", builtin.to_str().unwrap()])
        .assert()
        .success();
    let template = fs::read_to_string(builtin.join("data-template.csv")).unwrap();
    assert!(template.starts_with("district,year,indicator,value\nexample,2019,population,\n"));
    assert_eq!(template.lines().count(), 1 + 1 + 46);
    // Filled in, the long template scores.
    let filled: String = template
        .lines()
        .enumerate()
        .map(|(i, line)| match i {
            0 => format!("{line}\n"),
            _ => format!("{line}50\n"),
        })
        .collect();
    let data = write(dir.path(), "filled.csv", &filled);
    kmgov()
        .args([
            "score",
            &data,
            "--config",
            builtin.join("kmgov.toml").to_str().unwrap(),
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("example"));
}

/// Ids a spreadsheet would run as formulas, one per kind of first character.
const FORMULA_DEF: &str = "[index]\nname = \"F\"\n[data]\nunit = \"@unit\"\n[[dimension]]\nid = \"d\"\n[[dimension.indicator]]\nid = \"=cmd|' /C calc'!A0\"\n[[dimension.indicator]]\nid = \"+p\"\n[[dimension.indicator]]\nid = '=HYPERLINK(\"http://x\",\"y\")'\n[[dimension.indicator]]\nid = \"-x\"\n[[dimension.indicator]]\nid = \"plain\"\n";

#[test]
fn init_template_cells_never_run_as_spreadsheet_formulas() {
    let dir = tempfile::tempdir().unwrap();
    let from = write(dir.path(), "f.toml", FORMULA_DEF);
    for (folder, long) in [("wide", false), ("long", true)] {
        let target = dir.path().join(folder);
        let mut command = kmgov();
        command.args(["init", "--from", &from, target.to_str().unwrap()]);
        if long {
            command.arg("--long");
        }
        command
            .assert()
            .success()
            .stderr(predicate::str::contains(
                "warning: ".to_string() + target.join("data-template.csv").to_str().unwrap(),
            ))
            .stderr(predicate::str::contains(
                "`@unit`, `=cmd|' /C calc'!A0`, `+p`",
            ))
            .stderr(predicate::str::contains("rename them in"));
        let template = fs::read_to_string(target.join("data-template.csv")).unwrap();
        // As the CSV output writes them: a ' before each formula.
        let expected = if long {
            "'@unit,period,indicator,value\nexample,2019,'=cmd|' /C calc'!A0,\nexample,2019,'+p,\nexample,2019,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",\nexample,2019,'-x,\nexample,2019,plain,\n"
        } else {
            "'@unit,period,'=cmd|' /C calc'!A0,'+p,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'-x,plain\n"
        };
        assert_eq!(template, expected);
    }
    // A definition without such ids gets no warning.
    let plain = write(dir.path(), "p.toml", POP_DEF);
    kmgov()
        .args([
            "init",
            "--from",
            &plain,
            dir.path().join("p").to_str().unwrap(),
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("warning").not());
}

#[test]
fn init_from_the_definition_already_in_the_folder_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let from = write(dir.path(), "kmgov.toml", POP_DEF);
    kmgov()
        .args(["init", "--from", &from, dir.path().to_str().unwrap()])
        .assert()
        .success()
        .stderr(predicate::str::contains("kept"));
    assert_eq!(fs::read_to_string(&from).unwrap(), POP_DEF);
    assert!(dir.path().join("data-template.csv").is_file());
}

#[test]
fn init_from_a_gbk_definition_writes_a_utf8_copy() {
    let dir = tempfile::tempdir().unwrap();
    let (gbk, _, _) = encoding_rs::GB18030.encode(POP_DEF);
    let from = dir.path().join("gbk.toml");
    fs::write(&from, &gbk).unwrap();
    let target = dir.path().join("new");
    kmgov()
        .args([
            "init",
            "--from",
            from.to_str().unwrap(),
            target.to_str().unwrap(),
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("read as GB18030"));
    assert_eq!(
        fs::read_to_string(target.join("kmgov.toml")).unwrap(),
        POP_DEF
    );
}

#[test]
fn a_definition_not_named_is_announced_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let sample = fs::canonicalize("samples/kunming.csv").unwrap();
    kmgov()
        .current_dir(dir.path())
        .args(["score", sample.to_str().unwrap(), "--top", "1"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "note: using the built-in Kunming definition; pass --config FILE for your own",
        ));
    write(dir.path(), "kmgov.toml", TINY_DEF);
    write(dir.path(), "d.csv", "unit,period,x\nA,1,1\nB,1,3\n");
    for command in ["score", "check"] {
        kmgov()
            .current_dir(dir.path())
            .args([command, "d.csv"])
            .assert()
            .success()
            .stderr(predicate::str::contains(
                "note: using ./kmgov.toml (found in the current folder); pass --config to choose another",
            ));
    }
    // Named with --config: nothing to announce.
    kmgov()
        .current_dir(dir.path())
        .args(["score", "d.csv", "--config", "kmgov.toml"])
        .assert()
        .success()
        .stderr(predicate::str::contains("note:").not());
}

#[test]
fn a_folder_named_kmgov_toml_is_an_error_not_the_built_in_definition() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("kmgov.toml")).unwrap();
    let sample = fs::canonicalize("samples/kunming.csv").unwrap();
    kmgov()
        .current_dir(dir.path())
        .args(["score", sample.to_str().unwrap()])
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(
            "kmgov.toml: this is a folder, not a definition file",
        ))
        .stderr(predicate::str::contains("in the current folder"))
        .stderr(predicate::str::contains("check the path given to --config").not());
}

#[test]
fn an_unreadable_kmgov_toml_gets_a_hint_about_the_current_folder() {
    let dir = tempfile::tempdir().unwrap();
    // A dangling link: unreadable even for root, unlike a chmod 000 file.
    std::os::unix::fs::symlink("gone.toml", dir.path().join("kmgov.toml")).unwrap();
    kmgov()
        .current_dir(dir.path())
        .args(["check", "d.csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "kmgov.toml: cannot read the definition",
        ))
        .stderr(predicate::str::contains(
            "kmgov picked up kmgov.toml from the current folder, a link to a file that does not exist",
        ))
        .stderr(predicate::str::contains("--config FILE"));
}

#[test]
fn an_endless_config_stops_at_the_size_limit() {
    kmgov()
        .env("KMGOV_MAX_DEFINITION_BYTES", "4096")
        .args(["score", "samples/kunming.csv", "--config", "/dev/zero"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "/dev/zero: the definition is larger than 4096 bytes",
        ))
        .stderr(predicate::str::contains("KMGOV_MAX_DEFINITION_BYTES"));
    // The default limit holds too: 64 MiB, then a clear error.
    kmgov()
        .args(["check", "samples/kunming.csv", "--config", "/dev/zero"])
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("larger than 67108864 bytes"));
    kmgov()
        .env("KMGOV_MAX_DEFINITION_BYTES", "lots")
        .args(["score", "samples/kunming.csv", "--config", "/dev/zero"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "KMGOV_MAX_DEFINITION_BYTES: `lots` is not a size in bytes",
        ));
}

#[test]
fn a_gbk_definition_scores_like_its_utf8_original_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string("config/kunming.toml").unwrap();
    let (gbk, _, _) = encoding_rs::GB18030.encode(&text);
    let config = dir.path().join("gbk.toml");
    fs::write(&config, &gbk).unwrap();
    let from_gbk = kmgov()
        .args([
            "score",
            "samples/kunming.csv",
            "--format",
            "csv",
            "--config",
        ])
        .arg(&config)
        .output()
        .unwrap();
    let from_utf8 = kmgov()
        .args([
            "score",
            "samples/kunming.csv",
            "--format",
            "csv",
            "--config",
            "config/kunming.toml",
        ])
        .output()
        .unwrap();
    let stderr = messages(&from_gbk);
    assert!(from_gbk.status.success(), "{stderr}");
    assert_eq!(from_gbk.stdout, from_utf8.stdout);
    assert!(
        stderr.contains("is not UTF-8; it was read as GB18030 (GBK)"),
        "{stderr}"
    );
    // Bytes that are neither: a message about saving as UTF-8, not about TOML.
    let bad = write(dir.path(), "bad.toml", "");
    fs::write(&bad, b"[index]\nname = \"\xFF\xFF\"\n").unwrap();
    kmgov()
        .args(["score", "samples/kunming.csv", "--config", &bad])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            ":2:9: the definition is neither UTF-8 nor GB18030",
        ))
        .stderr(predicate::str::contains("save the definition as UTF-8"));
}

#[test]
fn reserved_dimension_id_is_refused_before_any_output() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(
        dir.path(),
        "k.toml",
        &TINY_DEF.replace("id = \"d\"", "id = \"composite\""),
    );
    let data = write(dir.path(), "d.csv", "unit,period,x\nA,1,1\nB,1,3\n");
    kmgov()
        .args(["score", &data, "--config", &config, "--format", "csv"])
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(
            "k.toml:4:6: dimension `composite`: the id `composite` is reserved",
        ));
}

// ---- trustworthy changes and the whole result ------------------------------

/// The issue's reproduction: a definition without [method] (minmax, period
/// scope) and a unit, C, that improves on every indicator every year.
const GROWING_DEF: &str = "[index]\nname = \"G\"\n[[dimension]]\nid = \"a\"\n[[dimension.indicator]]\nid = \"x\"\n[[dimension.indicator]]\nid = \"y\"\n[[dimension]]\nid = \"b\"\n[[dimension.indicator]]\nid = \"z\"\n";
const GROWING: &str = "unit,period,x,y,z\nA,2017,10,20,30\nB,2017,50,60,70\nC,2017,30,40,50\nA,2018,40,50,60\nB,2018,60,70,80\nC,2018,31,41,51\nA,2019,60,70,80\nB,2019,70,80,90\nC,2019,32,42,52\n";

fn growing(dir: &Path, def: &str) -> (String, String) {
    (write(dir, "g.csv", GROWING), write(dir, "g.toml", def))
}

#[test]
fn relative_changes_are_explained_and_base_scope_gives_level_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (data, config) = growing(dir.path(), GROWING_DEF);
    let output = kmgov()
        .args([
            "score", &data, "--config", &config, "--format", "json", "--period", "2018",
        ])
        .output()
        .unwrap();
    let stderr = messages(&output);
    assert!(
        stderr.contains("note: changes compare relative positions, not levels"),
        "{stderr}"
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["method"]["changes"], "relative");
    let c = |json: &serde_json::Value| {
        json["periods"][0]["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["unit"] == "C")
            .unwrap()["change"]
            .as_f64()
            .unwrap()
    };
    assert!(c(&json) < 0.0, "C falls under period scope");

    let base = GROWING_DEF.replace(
        "[[dimension]]\nid = \"a\"",
        "[method]\nscope = \"base\"\n[[dimension]]\nid = \"a\"",
    );
    let (data, config) = growing(dir.path(), &base);
    let output = kmgov()
        .args([
            "score", &data, "--config", &config, "--format", "json", "--period", "2018",
        ])
        .output()
        .unwrap();
    assert!(!messages(&output).contains("relative positions"));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["method"]["changes"], "level");
    assert!(c(&json) > 0.0, "C rises under base scope");

    kmgov()
        .args([
            "check",
            &data,
            "--config",
            &write(dir.path(), "p.toml", GROWING_DEF),
        ])
        .assert()
        .success()
        .stderr(
            predicate::str::contains("warning: ").and(predicate::str::contains(
                "changes compare relative positions",
            )),
        );
}

#[test]
fn json_carries_version_definition_dimension_detail_and_totals() {
    let json = json_of(&["score", "samples/kunming.csv", "--format", "json"]);
    assert_eq!(json["kmgov_version"], env!("CARGO_PKG_VERSION"));
    let indicators = json["method"]["indicators"].as_array().unwrap();
    assert_eq!(indicators.len(), 46);
    let first = &indicators[0];
    for key in [
        "id",
        "dimension",
        "weight",
        "global_weight",
        "direction",
        "normalize",
        "goalposts",
    ] {
        assert!(first.get(key).is_some(), "{key} in {first}");
    }
    let period = &json["periods"][0];
    let vitality = period["total_dimensions"]["vitality"].as_f64().unwrap();
    assert!((83.0..84.0).contains(&vitality), "{vitality}");
    let unit = &period["units"][0];
    assert_eq!(unit["dimension_ranks"]["vitality"], 1);
    assert!(unit["dimension_changes"]["services"].is_number());
    assert_eq!(json["filled"], serde_json::json!([]));
}

#[test]
fn a_unit_named_total_is_refused_with_the_total_row() {
    let dir = tempfile::tempdir().unwrap();
    let def = write(dir.path(), "k.toml", TINY_DEF);
    let data = write(
        dir.path(),
        "d.csv",
        "unit,period,x\nA,2019,1\ntotal,2019,2\n",
    );
    let out = dir.path().join("s.csv");
    kmgov()
        .args(["score", &data, "--config", &def, "--total-row", "-o"])
        .arg(&out)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains(
            "error: --total-row: a unit is named `total` (period 2019)",
        ))
        .stderr(predicate::str::contains(
            "hint: rename the unit `total` in the data, or leave out --total-row",
        ));
    assert!(!out.exists(), "nothing written");
    // Without the total row, or with another spelling, there is no clash.
    kmgov()
        .args(["score", &data, "--config", &def, "--format", "csv"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\n2019,1,total,"));
    let other = write(
        dir.path(),
        "e.csv",
        "unit,period,x\nA,2019,1\nTotal,2019,2\n",
    );
    kmgov()
        .args([
            "score",
            &other,
            "--config",
            &def,
            "-f",
            "csv",
            "--total-row",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("\n2019,,total,"));
}

#[test]
fn detail_and_total_row_in_csv() {
    let out = kmgov()
        .args([
            "score",
            "samples/kunming.csv",
            "--format",
            "csv",
            "--detail",
            "dimensions",
            "--total-row",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "period,rank,unit,composite,vitality,services,environment,change,pct_change,rank_change,vitality_rank,vitality_change,services_rank,services_change,environment_rank,environment_change"
    );
    let total = text.lines().last().unwrap();
    assert!(total.starts_with("2019,,total,81.46"), "{total}");
    assert_eq!(total.split(',').count(), 16);

    let out = kmgov()
        .args([
            "score",
            "samples/kunming.csv",
            "--format",
            "csv",
            "--detail",
            "indicators",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("period,rank,unit,dimension,indicator,raw,score,global_weight,filled\n")
    );
    assert_eq!(text.lines().count(), 1 + 14 * 46);
    assert!(
        text.contains("\n2019,1,官渡区,vitality,volunteer_activity,"),
        "{}",
        &text[..300]
    );

    let json = json_of(&[
        "score",
        "samples/kunming.csv",
        "--format",
        "json",
        "--detail",
        "indicators",
    ]);
    let cell = &json["periods"][0]["units"][0]["indicators"]["volunteer_activity"];
    for key in ["raw", "score", "global_weight"] {
        assert!(cell[key].is_number(), "{key}: {cell}");
    }
    assert!(cell["filled"].is_null());

    kmgov()
        .args(["score", "samples/kunming.csv", "--detail", "indicators"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--detail indicators is written as CSV, JSON or xlsx",
        ));
}

#[test]
fn filled_cells_are_counted_and_quiet_silences_notes() {
    let dir = tempfile::tempdir().unwrap();
    let def = TINY_DEF.replace(
        "[[dimension]]",
        "[method]\nmissing = \"mean\"\n[[dimension]]",
    );
    let config = write(dir.path(), "k.toml", &def);
    let data = write(dir.path(), "d.csv", "unit,period,x\nA,1,10\nB,1,\nC,1,30\n");
    kmgov()
        .args(["score", &data, "--config", &config])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "note: 1 missing cell(s) filled by missing = \"mean\"",
        ));
    kmgov()
        .args(["score", &data, "--config", &config, "--quiet"])
        .assert()
        .success()
        .stderr("");
    let json = json_of(&["score", &data, "--config", &config, "--format", "json"]);
    assert_eq!(
        json["filled"],
        serde_json::json!([{"unit": "B", "period": "1", "indicator": "x", "value": 20.0, "rule": "mean"}])
    );
    kmgov()
        .args(["check", &data, "--config", &config])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "unit B, period 1: missing, filled with 20",
        ));
}

#[test]
fn check_reads_piped_standard_input() {
    let sample = fs::read("samples/kunming.csv").unwrap();
    kmgov()
        .arg("check")
        .write_stdin(sample)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "ok — 42 rows, 14 units, 3 periods",
        ));
}

#[test]
fn score_summarises_the_warnings_check_would_give() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(dir.path(), "k.toml", &goalposts_def());
    let data = write(dir.path(), "d.csv", "unit,period,x\nA,1,5\nB,1,50\n");
    kmgov()
        .args(["score", &data, "--config", &config])
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "note: 1 more warning(s) about the data or definition: run `kmgov check {data} --config {config}` to list them",
        )));
}

#[test]
fn the_suggested_check_command_keeps_the_options_given() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(dir.path(), "my k.toml", &goalposts_def());
    let data = write(dir.path(), "it's.csv", "unit;period;x\nA;1;5\nB;1;50\n");
    let quoted = |path: &str| format!("'{}'", path.replace('\'', "'\\''"));
    let expected = format!(
        "kmgov check {} --config {} --encoding gb18030 --delimiter ';'",
        quoted(&data),
        quoted(&config)
    );
    let args = [
        "score",
        &data,
        "--config",
        &config,
        "--encoding",
        "gbk",
        "--delimiter",
        ";",
    ];
    kmgov()
        .args(args)
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "run `{expected}` to list them"
        )));
    // Pasted into a shell, it lists the warning.
    let bin = kmgov_path();
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = std::process::Command::new("sh")
        .args(["-c", &expected])
        .env("PATH", path)
        .output()
        .unwrap();
    let stderr = messages(&output);
    assert!(
        stderr.contains("warning:") && stderr.contains("goalposts"),
        "{stderr}"
    );
    // A tab is spelt `tab`; the filled-cells note names the same command.
    let mean = write(
        dir.path(),
        "m.toml",
        &TINY_DEF.replace(
            "[[dimension]]",
            "[method]\nmissing = \"mean\"\n[[dimension]]",
        ),
    );
    let tabbed = write(
        dir.path(),
        "t.csv",
        "unit\tperiod\tx\nA\t1\t\nB\t1\t20\nC\t1\t20\n",
    );
    kmgov()
        .args(["score", &tabbed, "--config", &mean, "--delimiter", "tab"])
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "filled by missing = \"mean\"; run `kmgov check {tabbed} --config {mean} --delimiter tab` to list them"
        )));
}

/// The first hour with an index of one's own: a 2-dimension, 5-indicator
/// definition with Chinese names, one lower-is-better indicator and
/// goalposts on two; `init --from` writes its template; the template is
/// filled for 4 units × 2 periods and saved as Chinese-language Excel would
/// in a European locale, semicolon-separated GBK; `check` passes and
/// `score` gives the numbers worked out by hand below.
const FIRST_HOUR_DEF: &str = r#"[index]
name = "Street Governance Index"
label = "街道治理指数"

[data]
unit = "街道"
period = "年份"

[[dimension]]
id = "服务"
name = "公共服务"
weight = 2

[[dimension.indicator]]
id = "参保率"
normalize = "goalposts"
goalposts = [80, 100]

[[dimension.indicator]]
id = "志愿者"

[[dimension.indicator]]
id = "投诉"
direction = "lower"

[[dimension]]
id = "参与"
name = "社会参与"
weight = 1

[[dimension.indicator]]
id = "议事会"
normalize = "goalposts"
goalposts = [0, 20]

[[dimension.indicator]]
id = "组织数"
"#;

/// (unit, period, [参保率, 志愿者, 投诉, 议事会, 组织数]).
const FIRST_HOUR_DATA: [(&str, &str, [u32; 5]); 8] = [
    ("翠湖街道", "2019", [90, 10, 30, 12, 5]),
    ("华山街道", "2019", [95, 20, 10, 8, 15]),
    ("护国街道", "2019", [85, 30, 20, 20, 10]),
    ("大观街道", "2019", [100, 40, 40, 4, 25]),
    ("翠湖街道", "2020", [92, 25, 20, 16, 10]),
    ("华山街道", "2020", [96, 15, 30, 10, 20]),
    ("护国街道", "2020", [88, 35, 10, 18, 30]),
    ("大观街道", "2020", [80, 45, 40, 6, 15]),
];

// The hand computation. Minmax (the default) over each period's 4 units;
// goalposts clamp 100·(x − lo)/(hi − lo) to 0–100; 投诉 is lower-is-better,
// 100·(max − x)/(max − min). Indicators weigh equally in their dimension;
// 服务 weighs 2/3 and 参与 1/3 of the composite; the total is the mean.
//
// 2019        参保率  志愿者  投诉   | 服务    | 议事会 组织数 | 参与 | composite
// 翠湖街道     50      0    100/3  | 250/9   |   60     0    | 30   | 770/27  = 28.5185…  rank 4
// 华山街道     75    100/3   100   | 625/9   |   40    50    | 45   | 1655/27 = 61.2963…  rank 2
// 护国街道     25    200/3  200/3  | 475/9   |  100    25    | 62.5 | 3025/54 = 56.0185…  rank 3
// 大观街道    100     100     0    | 200/3   |   20   100    | 60   | 580/9   = 64.4444…  rank 1
// total: 3785/72 = 52.5694…; 服务 54.1667, 参与 49.375
//
// 2020 (志愿者 15–45, 投诉 10–40, 组织数 10–30)
// 翠湖街道     60    100/3  200/3  | 160/3   |   80     0    | 40   | 440/9   = 48.8889…  rank 2
// 华山街道     80      0    100/3  | 340/9   |   50    50    | 50   | 1130/27 = 41.8519…  rank 3
// 护国街道     40    200/3   100   | 620/9   |   90   100    | 95   | 2095/27 = 77.5926…  rank 1
// 大观街道      0     100     0    | 100/3   |   30    25    | 27.5 | 565/18  = 31.3889…  rank 4
// total: 3595/72 = 49.9306…
//
// change 2019 → 2020: 翠湖 +550/27 (+71.43 %, rank +2), 华山 −175/9 (−31.72 %,
// rank −1), 护国 +1165/54 (+38.51 %, rank +2), 大观 −595/18 (−51.29 %, rank −3).
const FIRST_HOUR_SCORES: [(&str, &str, u32, f64, f64, f64); 8] = [
    // (period, unit, rank, composite, 服务, 参与)
    ("2019", "大观街道", 1, 580.0 / 9.0, 200.0 / 3.0, 60.0),
    ("2019", "华山街道", 2, 1655.0 / 27.0, 625.0 / 9.0, 45.0),
    ("2019", "护国街道", 3, 3025.0 / 54.0, 475.0 / 9.0, 62.5),
    ("2019", "翠湖街道", 4, 770.0 / 27.0, 250.0 / 9.0, 30.0),
    ("2020", "护国街道", 1, 2095.0 / 27.0, 620.0 / 9.0, 95.0),
    ("2020", "翠湖街道", 2, 440.0 / 9.0, 160.0 / 3.0, 40.0),
    ("2020", "华山街道", 3, 1130.0 / 27.0, 340.0 / 9.0, 50.0),
    ("2020", "大观街道", 4, 565.0 / 18.0, 100.0 / 3.0, 27.5),
];

/// 2020's (unit, change, pct_change, rank_change).
const FIRST_HOUR_CHANGES: [(&str, f64, f64, i64); 4] = [
    (
        "护国街道",
        1165.0 / 54.0,
        1165.0 / 54.0 / (3025.0 / 54.0) * 100.0,
        2,
    ),
    (
        "翠湖街道",
        550.0 / 27.0,
        550.0 / 27.0 / (770.0 / 27.0) * 100.0,
        2,
    ),
    (
        "华山街道",
        -175.0 / 9.0,
        -175.0 / 9.0 / (1655.0 / 27.0) * 100.0,
        -1,
    ),
    (
        "大观街道",
        -595.0 / 18.0,
        -595.0 / 18.0 / (580.0 / 9.0) * 100.0,
        -3,
    ),
];

#[test]
fn first_hour_own_definition_init_fill_gbk_semicolons_check_and_score() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "my.toml", FIRST_HOUR_DEF);
    kmgov()
        .current_dir(dir.path())
        .args(["init", "--from", "my.toml", "idx"])
        .assert()
        .success();
    let idx = dir.path().join("idx");

    // Fill the template: its header, then the rows in its column order.
    let template = fs::read_to_string(idx.join("data-template.csv")).unwrap();
    assert_eq!(template, "街道,年份,参保率,志愿者,投诉,议事会,组织数\n");
    let header: Vec<&str> = template.trim_end().split(',').collect();
    let ids = ["参保率", "志愿者", "投诉", "议事会", "组织数"];
    let mut filled = header.join(";") + "\r\n";
    for (unit, period, values) in FIRST_HOUR_DATA {
        let cells: Vec<String> = header
            .iter()
            .map(|&column| match column {
                "街道" => unit.to_string(),
                "年份" => period.to_string(),
                id => values[ids.iter().position(|&i| i == id).unwrap()].to_string(),
            })
            .collect();
        filled.push_str(&(cells.join(";") + "\r\n"));
    }
    let (gbk, _, unmappable) = encoding_rs::GB18030.encode(&filled);
    assert!(!unmappable);
    fs::write(idx.join("data.csv"), &gbk).unwrap();

    // check passes, using ./kmgov.toml, and says how it read the file.
    let output = kmgov()
        .current_dir(&idx)
        .args(["check", "data.csv"])
        .output()
        .unwrap();
    let stderr = messages(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("data.csv: ok — 8 rows, 4 units, 2 periods"),
        "{stderr}"
    );
    assert!(stderr.contains("read as GB18030"), "{stderr}");
    assert!(!stderr.contains("error:"), "{stderr}");

    // score, as CSV.
    let output = kmgov()
        .current_dir(&idx)
        .args(["score", "data.csv", "--all-periods", "--format", "csv"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", messages(&output));
    let csv = String::from_utf8(output.stdout).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("period,rank,unit,composite,服务,参与,change,pct_change,rank_change")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 8, "{csv}");
    let number = |text: &str| text.parse::<f64>().unwrap();
    for (row, &(period, unit, rank, composite, service, participation)) in
        rows.iter().zip(&FIRST_HOUR_SCORES)
    {
        assert_eq!(&row[..3], [period, &rank.to_string(), unit], "{csv}");
        assert!(
            close(number(row[3]), composite, 1e-9),
            "{unit} {period}: {csv}"
        );
        assert!(
            close(number(row[4]), service, 1e-9),
            "{unit} {period}: {csv}"
        );
        assert!(
            close(number(row[5]), participation, 1e-9),
            "{unit} {period}: {csv}"
        );
    }
    for row in &rows[..4] {
        assert_eq!(&row[6..], ["", "", ""], "2019 has no earlier period: {csv}");
    }
    for (row, &(unit, change, pct, rank_change)) in rows[4..].iter().zip(&FIRST_HOUR_CHANGES) {
        assert_eq!(row[2], unit);
        assert!(close(number(row[6]), change, 1e-9), "{unit}: {csv}");
        assert!(close(number(row[7]), pct, 1e-9), "{unit}: {csv}");
        assert_eq!(row[8], rank_change.to_string(), "{unit}: {csv}");
    }

    // The same as JSON, with the totals.
    let json = json_of_in(
        &idx,
        &["score", "data.csv", "--all-periods", "--format", "json"],
    );
    let periods = json["periods"].as_array().unwrap();
    assert_eq!(periods.len(), 2);
    assert!(close(
        periods[0]["total"].as_f64().unwrap(),
        3785.0 / 72.0,
        1e-9
    ));
    assert!(close(
        periods[1]["total"].as_f64().unwrap(),
        3595.0 / 72.0,
        1e-9
    ));
    let units: Vec<&serde_json::Value> = periods
        .iter()
        .flat_map(|p| p["units"].as_array().unwrap())
        .collect();
    assert_eq!(units.len(), 8);
    for (found, &(_, unit, rank, composite, _, _)) in units.iter().zip(&FIRST_HOUR_SCORES) {
        assert_eq!(found["unit"], unit);
        assert_eq!(found["rank"], rank);
        assert!(
            close(found["composite"].as_f64().unwrap(), composite, 1e-9),
            "{found}"
        );
    }
    for (found, &(unit, change, pct, rank_change)) in units[4..].iter().zip(&FIRST_HOUR_CHANGES) {
        assert_eq!(found["unit"], unit);
        assert!(
            close(found["change"].as_f64().unwrap(), change, 1e-9),
            "{found}"
        );
        assert!(
            close(found["pct_change"].as_f64().unwrap(), pct, 1e-9),
            "{found}"
        );
        assert_eq!(found["rank_change"], rank_change);
    }
}

fn json_of_in(dir: &Path, args: &[&str]) -> serde_json::Value {
    json(
        &kmgov()
            .current_dir(dir)
            .args(args)
            .output()
            .expect("kmgov runs"),
    )
}

/// A hint that sends the user to `kmgov init` for a template names the
/// command for the definition in use, not the built-in one's.
#[test]
fn init_hints_in_data_errors_name_the_users_definition() {
    let dir = tempfile::tempdir().unwrap();
    let mut definition = String::from("[index]\nname = \"Six\"\n[[dimension]]\nid = \"d\"\n");
    for i in 1..=6 {
        definition.push_str(&format!("[[dimension.indicator]]\nid = \"x{i}\"\n"));
    }
    write(dir.path(), "my.toml", &definition);
    write(dir.path(), "empty.csv", "");
    write(dir.path(), "other.csv", "unit,period,a\nA,2019,1\n");
    for (data, message) in [
        ("empty.csv", "empty.csv: the file is empty"),
        (
            "other.csv",
            "other.csv: the data and the definition my.toml do not match: 6 of its 6",
        ),
    ] {
        for command in ["score", "check"] {
            let output = kmgov()
                .current_dir(dir.path())
                .args([command, data, "--config", "my.toml"])
                .output()
                .unwrap();
            let stderr = messages(&output);
            assert_eq!(output.status.code(), Some(1), "{stderr}");
            assert!(stderr.contains(message), "{stderr}");
            assert!(
                stderr.contains("`kmgov init --from my.toml DIR`"),
                "{command} {data}: {stderr}"
            );
        }
    }
    // Without --config, the built-in definition's command.
    let output = kmgov()
        .current_dir(dir.path())
        .args(["score", "empty.csv"])
        .output()
        .unwrap();
    let stderr = messages(&output);
    assert!(stderr.contains("`kmgov init DIR` writes"), "{stderr}");
}

#[test]
fn one_thread_gives_the_same_bytes_as_many() {
    // Over the 20,000 rows where work spreads over threads.
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("unit,period,x,y,z\n");
    for period in 0..3 {
        for unit in 0..12_000u64 {
            let v = |k: u64| (unit * 7919 + period * 104_729 + k * 31) % 1000;
            csv.push_str(&format!("u{unit},{period},{},{},{}\n", v(1), v(2), v(3)));
        }
    }
    let data = write(dir.path(), "d.csv", &csv);
    let config = write(dir.path(), "k.toml", GROWING_DEF);
    let run = |threads: Option<&str>| {
        let mut command = kmgov();
        command.args([
            "score",
            &data,
            "--config",
            &config,
            "--all-periods",
            "--format",
            "csv",
            "-q",
        ]);
        if let Some(n) = threads {
            command.env("KMGOV_THREADS", n);
        }
        let output = command.output().unwrap();
        assert!(output.status.success());
        output.stdout
    };
    let many = run(Some("4"));
    assert_eq!(many.iter().filter(|&&b| b == b'\n').count(), 36_001);
    assert!(run(Some("1")) == many, "one thread differs from four");
    assert!(run(None) == many, "the default differs from four");
}

#[test]
fn windows_line_ends_name_the_same_lines_as_unix_ones() {
    // The csv reader started a row after CRLF on the line before it.
    let dir = tempfile::tempdir().unwrap();
    let config = write(
        dir.path(),
        "k.toml",
        "[index]\nname = \"T\"\n[[dimension]]\nid = \"d\"\n[[dimension.indicator]]\nid = \"x\"\n[[dimension.indicator]]\nid = \"y\"\n",
    );
    let lf = "unit,period,x,y\nA,2019,1,2\nB,2019,3,4\nB,2019,5,6\nC,2019,7O,8\n";
    let stderr_of = |name: &str, text: &str| {
        let data = write(dir.path(), name, text);
        let output = kmgov()
            .args(["check", &data, "--config", &config])
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stderr).replace(&data, "DATA")
    };
    let unix = stderr_of("lf.csv", lf);
    let windows = stderr_of("crlf.csv", &lf.replace('\n', "\r\n"));
    assert!(unix.contains("DATA:5:3: `x`, unit C"), "{unix}");
    assert!(
        unix.contains("DATA:4: unit B, period 2019 appears again (first on line 3)"),
        "{unix}"
    );
    assert_eq!(windows, unix);
}

#[test]
fn the_suggested_check_command_names_a_dash_file_as_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(dir.path(), "k.toml", &goalposts_def());
    write(dir.path(), "-dash.csv", "unit,period,x\nA,1,5\nB,1,50\n");
    kmgov()
        .current_dir(dir.path())
        .args(["score", "--config", &config, "--", "-dash.csv"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "run `kmgov check ./-dash.csv --config",
        ));
}
