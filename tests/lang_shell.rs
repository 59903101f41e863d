//! Chinese headings (`--lang zh`, `[index] lang`), shell completions and the
//! manual page.

mod common;
use common::*;

#[test]
fn lang_zh_puts_the_table_and_markdown_in_chinese() {
    let table = ok(&run(&["score", "samples/kunming.csv", "--lang", "zh"]));
    for word in ["排名", "区县", "综合得分", "变化率%", "名次变化", "全市"] {
        assert!(table.contains(word), "{word}: {table}");
    }
    let markdown = ok(&run(&[
        "score",
        "samples/kunming.csv",
        "--lang",
        "zh",
        "--format",
        "markdown",
    ]));
    assert!(
        markdown.contains("| 排名 | 区县 | 综合得分 |") && markdown.contains("**全市**"),
        "{markdown}"
    );
    // JSON keys and CSV columns stay English: scripts read them.
    let csv = ok(&run(&[
        "score",
        "samples/kunming.csv",
        "--lang",
        "zh",
        "--format",
        "csv",
    ]));
    assert!(csv.starts_with("period,rank,unit,composite,"), "{csv}");
}

#[test]
fn the_definition_can_ask_for_chinese_and_the_flag_wins() {
    let case = Case::new();
    let text = fs::read_to_string("config/kunming.toml").unwrap().replacen(
        "[index]\n",
        "[index]\nlang = \"zh\"\n",
        1,
    );
    let config = case.file("k.toml", text);
    let zh = ok(&run(&[
        "score",
        "samples/kunming.csv",
        "--config",
        path(&config),
    ]));
    assert!(zh.contains("综合得分"), "{zh}");
    let en = ok(&run(&[
        "score",
        "samples/kunming.csv",
        "--config",
        path(&config),
        "--lang",
        "en",
    ]));
    assert!(en.contains("composite") && !en.contains("综合得分"), "{en}");
}

#[test]
fn completions_and_man_page_cover_every_command() {
    let bash = ok(&run(&["completions", "bash"]));
    for command in [
        "score",
        "check",
        "init",
        "ahp",
        "weights",
        "completions",
        "man",
    ] {
        assert!(bash.contains(command), "{command}");
    }
    assert!(!ok(&run(&["completions", "zsh"])).is_empty());
    let man = ok(&run(&["man"]));
    assert!(man.contains(".TH kmgov 1"), "{man}");
    assert!(man.contains(".TH kmgov-score 1"), "{man}");
    let unknown = run(&["completions", "cmd.exe"]);
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn help_ends_with_examples() {
    for command in [
        "score", "check", "init", "ahp", "weights", "explain", "audit",
    ] {
        let help = ok(&run(&[command, "--help"]));
        assert!(
            help.contains("Examples:") || help.contains("Example:"),
            "{command}: {help}"
        );
    }
}
