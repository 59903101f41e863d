//! The words of the table and Markdown outputs in English or Chinese
//! (`--lang`, or `[index] lang`). JSON keys and CSV columns stay English:
//! scripts read them.

pub use crate::definition::Lang;

/// Headings and labels in one language.
#[derive(Debug, Clone, Copy)]
pub struct Words {
    /// The rank column.
    pub rank: &'static str,
    /// The composite column.
    pub composite: &'static str,
    /// The grade column.
    pub grade: &'static str,
    /// The change column.
    pub change: &'static str,
    /// The percentage change column.
    pub pct_change: &'static str,
    /// The change of rank column (Markdown; the table has its own symbol).
    pub rank_change: &'static str,
    /// The total row's label.
    pub total: &'static str,
    /// After a dimension's name: its rank.
    pub rank_of: &'static str,
    /// After a dimension's name: its grade.
    pub grade_of: &'static str,
    /// After a dimension's name: its change.
    pub change_of: &'static str,
    /// The division code column.
    pub code: &'static str,
    /// The number of units in an area.
    pub units: &'static str,
    /// After an area column's name: the unit's rank within it.
    pub rank_within: &'static str,
    /// The areas' table's title, `{}` standing for the area column.
    pub by: &'static str,
}

const ENGLISH: Words = Words {
    rank: "rank",
    composite: "composite",
    grade: "grade",
    change: "change",
    pct_change: "% change",
    rank_change: "rank Δ",
    total: "total",
    rank_of: " rank",
    grade_of: " grade",
    change_of: " change",
    code: "code",
    units: "units",
    rank_within: " rank",
    by: "by {}",
};

const CHINESE: Words = Words {
    rank: "排名",
    composite: "综合得分",
    grade: "等级",
    change: "变化",
    pct_change: "变化率%",
    rank_change: "名次变化",
    total: "全市",
    rank_of: "排名",
    grade_of: "等级",
    change_of: "变化",
    code: "区划代码",
    units: "单位数",
    rank_within: "内排名",
    by: "按{}",
};

impl Lang {
    /// The words of this language.
    pub const fn words(self) -> &'static Words {
        match self {
            Lang::En => &ENGLISH,
            Lang::Zh => &CHINESE,
        }
    }

    /// The unit column's heading: the data's column name, put in Chinese
    /// when it is one of the common English ones.
    pub fn unit_heading(self, column: &str) -> &str {
        if self == Lang::En {
            return column;
        }
        match column.trim().to_ascii_lowercase().as_str() {
            "unit" | "name" | "area" | "region" => "单位",
            "district" | "county" => "区县",
            "city" => "城市",
            "province" => "省份",
            "street" | "township" | "town" => "街道",
            "community" | "village" => "社区",
            _ => column,
        }
    }
}
