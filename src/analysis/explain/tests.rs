//! `explain` on small cases checked by hand.

use std::io::Cursor;

use super::*;
use crate::data::{ReadOptions, read_from};
use crate::pipeline::tests::close;

fn run(
    definition: &str,
    csv: &str,
    target: Target,
    previous: Option<&str>,
) -> Result<Explanation, Error> {
    let definition = Definition::from_toml(definition, "t.toml").unwrap();
    let panel = read_from(
        Box::new(Cursor::new(csv.as_bytes().to_vec())),
        "t.csv",
        &definition,
        ReadOptions::default(),
    )
    .unwrap();
    let request = Request {
        target,
        period: None,
        previous: previous.map(str::to_string),
    };
    explain(&definition, panel, &request)
}

fn unit(name: &str) -> Target {
    Target::Unit(name.to_string())
}

/// The line of the node with `id`.
fn line<'e>(e: &'e Explanation, id: &str) -> &'e Line {
    let at = e.tree.nodes.iter().position(|n| n.id == id).unwrap();
    &e.lines[at]
}

/// a = ¼x + ¾y (goalposts 0–100, so scores are the values), b = z; the
/// composite is ½a + ½b.
const FLAT: &str = "[index]\nname='T'\n[method]\nnormalize='none'\nMETHOD\n[[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\n[[dimension.indicator]]\nid='y'\nweight=3\n[[dimension]]\nid='b'\n[[dimension.indicator]]\nid='z'\n";

fn flat(method: &str) -> String {
    FLAT.replace("METHOD", method)
}

/// 2018: x 40, y 80, z 50 → a 70, composite 60. 2019: x 60, y 80, z 40 →
/// a 75, composite 57.5. Contributions 2019: x ⅛·60 = 7.5, y ⅜·80 = 30,
/// z ½·40 = 20. Change −2.5: x ⅛·20 = +2.5, z ½·(−10) = −5.
/// Gaps: x ⅛·40 = 5, y ⅜·20 = 7.5, z ½·60 = 30; sum 42.5.
#[test]
fn a_unit_by_hand() {
    let e = run(
        &flat(""),
        "unit,period,x,y,z\nA,2018,40,80,50\nA,2019,60,80,40\n",
        unit("A"),
        None,
    )
    .unwrap();
    assert_eq!(e.unit.as_deref(), Some("A"));
    assert_eq!(e.previous_period.as_deref(), Some("2018"));
    assert_eq!(e.composite(), Some(57.5));
    assert_eq!(e.change(), Some(-2.5));
    let (x, y, z) = (line(&e, "x"), line(&e, "y"), line(&e, "z"));
    assert_eq!(x.global_weight, 0.125);
    assert_eq!(x.contribution, Some(7.5));
    assert_eq!(y.contribution, Some(30.0));
    assert_eq!(z.contribution, Some(20.0));
    assert_eq!(x.change_contribution, Some(2.5));
    assert_eq!(y.change_contribution, Some(0.0));
    assert_eq!(z.change_contribution, Some(-5.0));
    assert_eq!(line(&e, "a").change_contribution, Some(2.5));
    assert_eq!((x.raw, x.previous_raw), (Some(60.0), Some(40.0)));
    close(z.obstacle.unwrap(), 100.0 * 30.0 / 42.5);
    close(x.obstacle.unwrap(), 100.0 * 5.0 / 42.5);
    assert_eq!(z.obstacle_rank, Some(1));
    assert_eq!(y.obstacle_rank, Some(2));
    close(line(&e, "a").obstacle.unwrap(), 100.0 * 12.5 / 42.5);
    assert!(!e.split);
    assert!(e.notes.is_empty(), "{:?}", e.notes);
}

/// Min–max per period: A's y rises 50 → 55, but the others rise more.
/// 2018 y: 40–60, A scores 50; against 2018's range 55 scores 75 (own
/// change +25, ⅜ of it +9.375); 2019's range is 45–70, where 55 scores 40
/// (others moved −35, ⅜ of it −13.125).
#[test]
fn relative_changes_split_into_own_change_and_others_moved() {
    let def = "[index]\nname='T'\n[method]\nnormalize='minmax'\n[[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\n[[dimension.indicator]]\nid='y'\nweight=3\n[[dimension]]\nid='b'\n[[dimension.indicator]]\nid='z'\ndirection='lower'\n";
    let csv = "unit,period,x,y,z\nA,2018,10,50,3\nB,2018,20,40,5\nC,2018,30,60,4\nA,2019,12,55,3\nB,2019,25,45,4\nC,2019,40,70,6\n";
    let e = run(def, csv, unit("A"), None).unwrap();
    assert_eq!(e.changes, Changes::Relative);
    assert!(e.split);
    let y = line(&e, "y");
    assert_eq!(y.own_change, Some(9.375));
    assert_eq!(y.others_moved, Some(-13.125));
    assert_eq!(y.change_contribution, Some(-3.75));
    // x: 10 in 10–30 scores 0; 12 against 10–30 scores 10 (own +1.25);
    // 12 is 2019's minimum, scoring 0 (others −1.25).
    let x = line(&e, "x");
    assert_eq!((x.own_change, x.others_moved), (Some(1.25), Some(-1.25)));
    close(e.lines[0].own_change.unwrap(), 10.625);
    close(e.lines[0].others_moved.unwrap(), -14.375);
    assert!(e.notes[0].contains("own change"), "{:?}", e.notes);
}

/// Population total: A (x 10, y 30 → 20; then 20, 40 → 30) with population
/// 1 then 2; B (50, 70 → 60 both years) with 3 then 2. T: (20 + 180)/4 = 50
/// → (60 + 120)/4 = 45. Units' scores: ½·10 = 5; composition:
/// (½ − ¼)·20 + (½ − ¾)·60 = −10. Per indicator (each ½ of the composite):
/// x: ½·½·10 + ¼·5 − ¼·25 = −2.5, likewise y.
#[test]
fn the_total_with_population_shares_shifting() {
    let def = "[index]\nname='T'\n[data]\npopulation='pop'\n[method]\nnormalize='none'\ntotal='population'\n[[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\n[[dimension.indicator]]\nid='y'\n";
    let csv = "unit,period,pop,x,y\nA,1,1,10,30\nB,1,3,50,70\nA,2,2,20,40\nB,2,2,50,70\n";
    let e = run(def, csv, Target::Total, None).unwrap();
    assert_eq!(e.unit, None);
    assert_eq!(e.total_rule, Some(Total::Population));
    assert_eq!(e.composite(), Some(45.0));
    assert_eq!(e.change(), Some(-5.0));
    close(e.lines[0].change_contribution.unwrap(), -5.0);
    close(e.lines[0].composition.unwrap(), -10.0);
    let x = line(&e, "x");
    close(x.change_contribution.unwrap(), -2.5);
    close(x.composition.unwrap(), -5.0);
    // The city's x: (2·20 + 2·50)/4 = 35, before (10 + 150)/4 = 40.
    assert_eq!((x.score, x.previous_score), (Some(35.0), Some(40.0)));
    assert_eq!(x.raw, Some(35.0));
    close(x.contribution.unwrap(), 17.5);
    assert!(e.notes.iter().any(|n| n.contains("population shares")));
}

/// Under the mean rule, A (20) and B (60) → B alone (60): Δ = 60 − 40 = 20,
/// all of it composition: B's share rising (1 − ½)·60 = 30, A leaving
/// −½·20 = −10.
#[test]
fn a_unit_leaving_the_total_is_composition() {
    let def = "[index]\nname='T'\n[method]\nnormalize='none'\ntotal='mean'\n[[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\n";
    let csv = "unit,period,x\nA,1,20\nB,1,60\nB,2,60\n";
    let e = run(def, csv, Target::Total, None).unwrap();
    assert_eq!(e.change(), Some(20.0));
    close(e.lines[0].composition.unwrap(), 20.0);
    close(line(&e, "x").change_contribution.unwrap(), 20.0);
}

/// Under skip, y is missing in 2018: a = x = 40, then ¼·40 + ¾·80 = 70.
/// y enters at ¾·(80 − 40) = 30 of a, ½ of that in the composite: 15.
#[test]
fn an_indicator_appearing_under_skip_is_its_distance_from_the_old_level() {
    let e = run(
        &flat("missing='skip'"),
        "unit,period,x,y,z\nA,2018,40,,50\nA,2019,40,80,50\n",
        unit("A"),
        None,
    )
    .unwrap();
    assert_eq!(e.change(), Some(15.0));
    assert_eq!(line(&e, "y").change_contribution, Some(15.0));
    assert_eq!(line(&e, "x").change_contribution, Some(0.0));
    assert_eq!(line(&e, "y").previous_score, None);
    assert!(
        e.notes
            .iter()
            .any(|n| n.contains("differ between 2018 and 2019"))
    );
}

#[test]
fn a_unit_compares_with_its_nearest_earlier_period_or_the_one_named() {
    let csv =
        "unit,period,x,y,z\nA,2017,10,10,10\nA,2018,40,80,50\nB,2018,1,1,1\nA,2019,60,80,40\n";
    let e = run(&flat(""), csv, unit("A"), Some("2017")).unwrap();
    assert_eq!(e.previous_period.as_deref(), Some("2017"));
    assert_eq!(e.change(), Some(47.5));
    // B has no 2017 row, and no 2019 row.
    let error = run(&flat(""), csv, unit("B"), None).unwrap_err();
    let problem = &error.problems()[0];
    assert!(
        problem.message.contains("unit B has no row in period 2019"),
        "{problem}"
    );
    assert!(problem.hint.as_deref().unwrap().contains("2018"));
    let error = run(&flat(""), csv, unit("A"), Some("2019")).unwrap_err();
    assert!(error.is_usage());
    assert!(
        error.problems()[0]
            .message
            .contains("must come before 2019")
    );
}

#[test]
fn the_first_period_has_nothing_to_compare() {
    let e = run(
        &flat(""),
        "unit,period,x,y,z\nA,2019,60,80,40\n",
        unit("A"),
        None,
    )
    .unwrap();
    assert_eq!(e.previous_period, None);
    assert_eq!(e.change(), None);
    assert_eq!(e.lines[0].change_contribution, None);
    assert!(e.notes[0].contains("no earlier period"));
}

#[test]
fn an_unknown_unit_lists_the_closest_names() {
    let csv = "unit,period,x,y,z\n五华区,2019,1,2,3\n盘龙区,2019,1,2,3\n官渡区,2019,1,2,3\n";
    let error = run(&flat(""), csv, unit("五华"), None).unwrap_err();
    assert!(error.is_usage());
    let problem = &error.problems()[0];
    assert_eq!(problem.message, "the data has no unit `五华`");
    let hint = problem.hint.as_deref().unwrap();
    assert!(
        hint.starts_with(
            "units are matched by their exact name; the closest of the 3 in t.csv: 五华区"
        ),
        "{hint}"
    );
    // Invisible characters and full-width letters fold as the reader folds them.
    assert!(run(&flat(""), csv, unit(" 五华区\u{200B} "), None).is_ok());
}

#[test]
fn topsis_and_a_missing_total_are_refused() {
    let csv = "unit,period,x,y,z\nA,2019,60,80,40\nB,2019,1,2,3\n";
    let error = run(&flat("aggregate='topsis'"), csv, unit("A"), None).unwrap_err();
    assert!(
        error.problems()[0]
            .message
            .contains("cannot break down a TOPSIS score")
    );
    let error = run(&flat("total='none'"), csv, Target::Total, None).unwrap_err();
    assert!(error.problems()[0].message.contains("total = \"none\""));
    assert!(run(&flat("total='none'"), csv, unit("A"), None).is_ok());
}

#[test]
fn nothing_holds_back_a_unit_scoring_100_everywhere() {
    let e = run(
        &flat(""),
        "unit,period,x,y,z\nA,2019,100,100,100\n",
        unit("A"),
        None,
    )
    .unwrap();
    assert!(e.lines.iter().all(|l| l.obstacle.is_none()));
    assert!(e.ranked_obstacles().is_empty());
    assert!(e.notes.iter().any(|n| n.contains("nothing holds it back")));
}

#[test]
fn equal_obstacle_degrees_share_a_rank() {
    // Equal weights: x and y both have a gap of 50, z of 10.
    let def = "[index]\nname='T'\n[method]\nnormalize='none'\n[[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\n[[dimension.indicator]]\nid='y'\n[[dimension.indicator]]\nid='z'\n";
    let e = run(def, "unit,period,x,y,z\nA,2019,50,50,90\n", unit("A"), None).unwrap();
    let ranks: Vec<Option<usize>> = ["x", "y", "z"]
        .iter()
        .map(|i| line(&e, i).obstacle_rank)
        .collect();
    assert_eq!(ranks, [Some(1), Some(1), Some(3)]);
}

/// A geometric dimension inside an arithmetic composite: the dimension's
/// change splits by log shares, the composite's linearly; all add up.
#[test]
fn mixed_aggregators_add_up_at_every_level() {
    let def = flat("").replace("id='a'\n", "id='a'\naggregate='geometric'\n");
    let e = run(
        &def,
        "unit,period,x,y,z\nA,2018,16,81,50\nA,2019,81,81,40\n",
        unit("A"),
        None,
    )
    .unwrap();
    let a = line(&e, "a");
    // Only x moved under a: it carries all of a's part.
    close(
        line(&e, "x").change_contribution.unwrap(),
        a.change_contribution.unwrap(),
    );
    assert_eq!(line(&e, "y").change_contribution, Some(0.0));
    // a = 16^¼·81^¾ = 54 → 81: ½·27 of the composite.
    close(a.change_contribution.unwrap(), 13.5);
    close(e.change().unwrap(), 13.5 - 5.0);
}

/// A population-weighted total needs the population: the plain mean in its
/// place would be another figure.
#[test]
fn a_population_total_without_the_population_is_refused() {
    let def = "[index]\nname='T'\n[data]\npopulation='pop'\n[method]\nnormalize='none'\ntotal='population'\n[[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\n";
    let definition = Definition::from_toml(def, "t.toml").unwrap();
    let csv = "unit,period,pop,x\nA,1,1,10\nB,1,3,50\n";
    let panel = read_from(
        Box::new(Cursor::new(csv.as_bytes().to_vec())),
        "t.csv",
        &definition,
        ReadOptions::default(),
    )
    .unwrap();
    let scores = pipeline::score_with(&definition, panel, ScoreOptions { keep_raw: true }).unwrap();
    let request = Request {
        target: Target::Total,
        period: None,
        previous: None,
    };
    let error = explain_scores(&definition, &scores, None, &request).unwrap_err();
    assert!(
        error.problems()[0]
            .message
            .contains("no population was given")
    );
    let population = [1.0, 3.0];
    let e = explain_scores(&definition, &scores, Some(&population), &request).unwrap();
    assert_eq!(e.composite(), Some(40.0));
}

/// Under skip, a previous period with no value at all has no composite:
/// the level is explained, the change is not.
#[test]
fn no_composite_before_means_no_change_to_share() {
    let e = run(
        &flat("missing='skip'"),
        "unit,period,x,y,z\nA,2018,,,\nA,2019,60,80,40\n",
        unit("A"),
        None,
    )
    .unwrap();
    assert_eq!(e.previous_period.as_deref(), Some("2018"));
    assert_eq!(e.change(), None);
    assert!(e.lines.iter().all(|l| l.change_contribution.is_none()));
    assert!(
        e.notes.iter().any(|n| n.contains("no composite in 2018")),
        "{:?}",
        e.notes
    );
}
