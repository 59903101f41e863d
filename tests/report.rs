//! `kmgov report`: one HTML file that is well-formed, refers to nothing
//! outside itself, shows every unit and figure, and shows names from the
//! data as text, never as markup.

mod common;
use common::*;

/// Elements HTML writes without an end tag.
const VOID: [&str; 6] = ["meta", "br", "hr", "img", "link", "input"];

/// Checks that every element is closed in order (SVG shapes by `/>`), that
/// `<` only ever starts a tag and `&` an entity, and that the style sheet is
/// the only raw text; returns the element names seen, in order.
fn well_formed(html: &str) -> Vec<String> {
    let mut open: Vec<String> = Vec::new();
    let mut seen = Vec::new();
    let mut rest = html
        .strip_prefix("<!DOCTYPE html>")
        .expect("starts with the doctype");
    while let Some(at) = rest.find(['<', '&']) {
        let (text, tail) = rest.split_at(at);
        assert!(!text.contains('>'), "a stray > in text: {text:?}");
        if let Some(after) = tail.strip_prefix('&') {
            let end = after.find(';').expect("an entity ends with ;");
            let entity = &after[..end];
            assert!(
                ["amp", "lt", "gt", "quot", "#39"].contains(&entity),
                "unknown entity &{entity};"
            );
            rest = &after[end + 1..];
            continue;
        }
        let end = tail.find('>').expect("a tag ends with >");
        let tag = &tail[1..end];
        rest = &tail[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let expected = open
                .pop()
                .unwrap_or_else(|| panic!("</{name}> closes nothing"));
            assert_eq!(name, expected, "</{name}> closes <{expected}>");
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        assert!(!name.is_empty(), "not a tag: <{tag}>");
        // Attribute values are quoted and escaped: no quote is left open.
        assert_eq!(
            tag.matches('"').count() % 2,
            0,
            "unbalanced quotes in <{tag}>"
        );
        assert!(!tag.contains('<'), "< inside <{tag}>");
        seen.push(name.clone());
        if name == "style" {
            let end = rest.find("</style>").expect("the style sheet ends");
            assert!(!rest[..end].contains('<'));
            rest = &rest[end..];
        }
        if tag.ends_with('/') || VOID.contains(&name.as_str()) {
            continue;
        }
        open.push(name);
    }
    assert!(rest.trim().is_empty(), "text after the document: {rest:?}");
    assert!(open.is_empty(), "left open: {open:?}");
    seen
}

/// Asserts the page refers to nothing outside itself.
fn self_contained(html: &str) {
    for reference in [
        "http://",
        "https://",
        "src=\"//",
        "href=\"//",
        "<script",
        "<link",
        "@import",
        "url(",
        "<img",
        "<iframe",
    ] {
        assert!(!html.contains(reference), "{reference} in the report");
    }
    for href in html.split("href=\"").skip(1) {
        assert!(
            href.starts_with('#'),
            "a link out: {}",
            &href[..20.min(href.len())]
        );
    }
}

fn report(args: &[&str]) -> String {
    stdout(&run(&[&["report"], args, &["-o", "-", "-q"]].concat()))
}

#[test]
fn the_kunming_report_is_well_formed_self_contained_and_complete() {
    let html = report(&["samples/kunming.csv", "--lang", "zh"]);
    let elements = well_formed(&html);
    self_contained(&html);
    assert!(elements.contains(&"svg".to_string()));
    assert_eq!(elements.iter().filter(|e| *e == "svg").count(), 4 + 2 * 14);
    let doc = json(&run(&["score", "samples/kunming.csv", "--format", "json"]));
    let period = &doc["periods"][0];
    for unit in period["units"].as_array().unwrap() {
        let name = unit["unit"].as_str().unwrap();
        // In the table, the bar chart, the heat map, the slope chart and its profile.
        assert!(html.matches(name).count() >= 5, "{name}");
    }
    assert!(html.contains(">81.46<"), "the city total");
    for figure in ["83.52", "81.99", "78.87", "+0.35"] {
        assert!(html.contains(figure), "{figure}");
    }
    assert!(html.contains("<html lang=\"zh-CN\">"));
    assert!(html.contains("昆明市社会治理指数 — 2019"));
    assert_eq!(html.matches("class=\"profile\"").count(), 14 + 1);
    assert!(html.contains("break-before:page"), "print CSS");
}

#[test]
fn the_top_obstacle_is_the_largest_share_of_the_weighted_gap() {
    let html = report(&["samples/kunming.csv", "--lang", "en"]);
    // Worked out here from the indicator detail of `score`, independently.
    let doc = json(&run(&[
        "score",
        "samples/kunming.csv",
        "--format",
        "json",
        "--detail",
        "indicators",
    ]));
    let first = &doc["periods"][0]["units"][0];
    let cells = first["indicators"].as_object().unwrap();
    let gaps: Vec<(&String, f64)> = cells
        .iter()
        .map(|(id, c)| {
            (
                id,
                number(&c["global_weight"]) * (100.0 - number(&c["score"])),
            )
        })
        .collect();
    let sum: f64 = gaps.iter().map(|g| g.1).sum();
    let (id, gap) = gaps.iter().max_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
    let degree = 100.0 * gap / sum;
    let name = doc["method"]["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == **id)
        .map(|i| i["id"].as_str().unwrap().to_string())
        .unwrap();
    assert_eq!(name, "pm25");
    // The first row of the first profile's obstacle table.
    let profile = html.split("id=\"unit-1\"").nth(1).unwrap();
    let table = profile.split("<table>").nth(1).unwrap();
    let row = table.split("<tr>").nth(2).unwrap();
    assert!(row.contains("PM2.5"), "{row}");
    assert!(
        row.contains(&format!(">{degree:.2}<")),
        "{degree:.2} in {row}"
    );
}

#[test]
fn names_from_the_data_are_text_not_markup() {
    let case = Case::new();
    let config = case.file(
        "d.toml",
        "[index]\nname='<i>T</i>'\n[method]\nnormalize='minmax'\n[[dimension]]\nid='a'\nname='\"><svg onload=alert(1)>'\n[[dimension.indicator]]\nid='x'\n",
    );
    let data = case.file(
        "d.csv",
        "unit,period,x\n<script>alert(1)</script>,1,1\nO'Brien & \"Sons\",1,2\nhttps://evil.example/x,1,3\n<script>alert(1)</script>,2,2\nO'Brien & \"Sons\",2,1\n",
    );
    let html = report(&[path(&data), "--config", path(&config)]);
    well_formed(&html);
    assert!(!html.contains("<script"), "a script tag from the data");
    assert!(!html.contains("<svg onload"), "markup from the definition");
    assert!(!html.contains("<i>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("O&#39;Brien &amp; &quot;Sons&quot;"));
    // A name that looks like a link is text, never an href or src.
    assert!(!html.contains("href=\"https") && !html.contains("src="));
}

#[test]
fn a_period_ends_the_report_there_and_an_unknown_one_is_refused() {
    let html = report(&["samples/kunming.csv", "--period", "2018"]);
    well_formed(&html);
    assert!(html.contains("— 2018</h1>"), "the heading names the period");
    assert!(!html.contains(">2019<"), "no later period");
    assert!(html.contains("2017 → 2018"));
    let unknown = run(&[
        "report",
        "samples/kunming.csv",
        "--period",
        "2030",
        "-o",
        "-",
    ]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(messages(&unknown).contains("2017, 2018, 2019"));
}

#[test]
fn one_period_has_no_slope_chart_and_says_why() {
    let case = Case::new();
    let config = case.file(
        "d.toml",
        "[index]\nname='T'\n[method]\nnormalize='goalposts'\n[[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\ngoalposts=[0,10]\n",
    );
    let data = case.file("d.csv", "unit,period,x\nA,2019,5\nB,2019,10\n");
    let html = report(&[path(&data), "--config", path(&config)]);
    well_formed(&html);
    assert!(html.contains("Rank changes need two periods"));
    // B scores 100 on its only indicator: nothing holds it back.
    assert!(html.contains("nothing holds this unit back"));
}

#[test]
fn obstacle_degrees_are_left_out_where_100_is_not_the_best_score() {
    let case = Case::new();
    let config = case.file(
        "d.toml",
        "[index]\nname='T'\n[method]\nnormalize='zscore'\n[[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\n",
    );
    let data = case.file("d.csv", "unit,period,x\nA,1,5\nB,1,10\nC,1,7\n");
    let html = report(&[path(&data), "--config", path(&config)]);
    well_formed(&html);
    assert!(html.contains("they are not shown"));
    assert!(!html.contains("obstacle degree %"));
}

#[test]
fn grades_show_in_the_table_and_the_overview() {
    let case = Case::new();
    let bands = "\n[[grade]]\nlabel = \"优秀\"\nmin = 85\n[[grade]]\nlabel = \"一般\"\nmax = 85\n";
    let text = fs::read_to_string("config/kunming.toml").unwrap() + bands;
    let config = case.file("k.toml", text);
    let html = report(&["samples/kunming.csv", "--config", path(&config)]);
    well_formed(&html);
    assert!(html.contains("优秀 5, 一般 9"), "counts per grade");
    assert!(html.contains("<td>优秀</td>"));
}

#[test]
fn html_goes_to_a_file_whole_or_to_a_pipe() {
    let case = Case::new();
    let out = case.dir.path().join("r.html");
    let done = run(&["report", "samples/kunming.csv", "-o", path(&out), "-q"]);
    assert!(done.status.success(), "{}", messages(&done));
    assert!(done.stdout.is_empty());
    let written = fs::read_to_string(&out).unwrap();
    assert!(written.starts_with("<!DOCTYPE html>") && written.ends_with("</html>\n"));
    // Without -o, standard output that is not a terminal gets the page.
    let piped = run(&["report", "samples/kunming.csv", "-q"]);
    assert_eq!(stdout(&piped), written);
    let over_input = run(&["report", "samples/kunming.csv", "-o", "samples/kunming.csv"]);
    assert_eq!(over_input.status.code(), Some(1));
}

#[test]
#[should_panic(expected = "</div> closes <p>")]
fn the_checker_catches_a_misnested_tag() {
    well_formed("<!DOCTYPE html><div><p></div></p>");
}

#[test]
#[should_panic(expected = "a stray >")]
fn the_checker_catches_unescaped_text() {
    well_formed("<!DOCTYPE html><p>a > b</p>");
}
