//! The words of the HTML report in English or Chinese (`--lang`).

use crate::definition::{Aggregate, Direction, Missing, Normalize, Scope, Total, WeightMethod};
use crate::export::Lang;

/// Headings, labels and sentences of the report in one language.
pub(super) struct ReportWords {
    pub html_lang: &'static str,
    pub generated: &'static str,
    pub overview: &'static str,
    pub indicators: &'static str,
    pub method: &'static str,
    pub normalize: &'static str,
    pub aggregate: &'static str,
    pub weights: &'static str,
    pub total_rule: &'static str,
    pub scope: &'static str,
    pub missing: &'static str,
    pub changes: &'static str,
    pub changes_level: &'static str,
    pub changes_relative: &'static str,
    pub dimension_weights: &'static str,
    pub weight: &'static str,
    pub trend: &'static str,
    pub ranking: &'static str,
    pub bars: &'static str,
    pub heat_map: &'static str,
    pub slope: &'static str,
    pub slope_needs_two: &'static str,
    pub profiles: &'static str,
    pub profile_dimensions: &'static str,
    pub profile_obstacles: &'static str,
    pub profile_trend: &'static str,
    pub obstacle: &'static str,
    pub score: &'static str,
    pub dimension: &'static str,
    pub indicator: &'static str,
    pub no_obstacles: &'static str,
    pub obstacles_not_meaningful: &'static str,
    pub appendix: &'static str,
    pub global_weight: &'static str,
    pub direction: &'static str,
    pub goalposts: &'static str,
    pub higher: &'static str,
    pub lower: &'static str,
    pub rank_of: &'static str,
    pub filled: &'static str,
    pub no_total: &'static str,
    pub no_data: &'static str,
    pub grade_counts: &'static str,
}

const ENGLISH: ReportWords = ReportWords {
    html_lang: "en",
    generated: "Computed by kmgov",
    overview: "Overview",
    indicators: "indicators",
    method: "Method",
    normalize: "Normalisation",
    aggregate: "Aggregation",
    weights: "Weights",
    total_rule: "City figure",
    scope: "Normalised over",
    missing: "Missing values",
    changes: "Changes compare",
    changes_level: "levels: scores are on a scale fixed across periods",
    changes_relative: "relative positions: each period is rescaled on its own units, so a unit that improves on every indicator can still fall",
    dimension_weights: "Dimensions and their weights",
    weight: "weight",
    trend: "The city and its dimensions over time",
    ranking: "Ranking",
    bars: "Composite scores, ranked",
    heat_map: "Dimension scores by unit",
    slope: "Rank changes",
    slope_needs_two: "Rank changes need two periods; the data has one.",
    profiles: "Unit profiles",
    profile_dimensions: "Dimensions against the city",
    profile_obstacles: "What holds it back most (obstacle degree)",
    profile_trend: "Composite over time",
    obstacle: "obstacle degree",
    score: "score",
    dimension: "dimension",
    indicator: "indicator",
    no_obstacles: "Every indicator scores 100 or more: nothing holds this unit back.",
    obstacles_not_meaningful: "Obstacle degrees read 100 − score as the distance to the best score, which holds for minmax, goalposts, efficacy and rank scores only; this definition uses other scores, so they are not shown.",
    appendix: "Indicators, weights and goalposts",
    global_weight: "global weight",
    direction: "direction",
    goalposts: "goalposts",
    higher: "higher is better",
    lower: "lower is better",
    rank_of: "of",
    filled: "cells filled by the missing-value rule",
    no_total: "The definition forms no city figure (total = \"none\").",
    no_data: "No scores in this period.",
    grade_counts: "Units by grade",
};

const CHINESE: ReportWords = ReportWords {
    html_lang: "zh-CN",
    generated: "由 kmgov 计算",
    overview: "概览",
    indicators: "指标",
    method: "方法说明",
    normalize: "标准化方法",
    aggregate: "合成方法",
    weights: "权重",
    total_rule: "全市得分",
    scope: "标准化范围",
    missing: "缺失值处理",
    changes: "变化比较的是",
    changes_level: "水平：各时期得分处在同一固定尺度上",
    changes_relative: "相对位置：每个时期按当期单位重新标准化，单位各项指标都进步也可能下降",
    dimension_weights: "一级指标及权重",
    weight: "权重",
    trend: "全市及一级指标得分走势",
    ranking: "排名",
    bars: "综合得分排序",
    heat_map: "各单位一级指标得分",
    slope: "名次变化",
    slope_needs_two: "名次变化需要两个时期的数据；数据只有一个时期。",
    profiles: "分单位评价",
    profile_dimensions: "一级指标与全市比较",
    profile_obstacles: "主要障碍因子（障碍度）",
    profile_trend: "综合得分走势",
    obstacle: "障碍度",
    score: "得分",
    dimension: "一级指标",
    indicator: "指标",
    no_obstacles: "各项指标得分均达到 100：没有障碍因子。",
    obstacles_not_meaningful: "障碍度以 100 − 得分作为与最优得分的差距，只适用于极差、阈值、功效系数和排序法得分；本定义使用其他得分，故不列出。",
    appendix: "指标、权重与阈值",
    global_weight: "全局权重",
    direction: "方向",
    goalposts: "阈值",
    higher: "正向",
    lower: "逆向",
    rank_of: "/",
    filled: "个缺失值按规则填补",
    no_total: "本定义不计算全市得分（total = \"none\"）。",
    no_data: "本时期没有得分。",
    grade_counts: "各等级单位数",
};

impl ReportWords {
    /// The words of `lang`.
    pub(super) fn of(lang: Lang) -> &'static ReportWords {
        match lang {
            Lang::En => &ENGLISH,
            Lang::Zh => &CHINESE,
        }
    }

    /// How the normalisation is named.
    pub(super) fn normalize_name(&self, n: Normalize) -> String {
        let zh = match n {
            Normalize::Minmax => "极差标准化",
            Normalize::Zscore => "Z-score 标准化",
            Normalize::Goalposts => "阈值法",
            Normalize::Efficacy => "功效系数法",
            Normalize::Rank => "排序法",
            Normalize::None => "不标准化",
        };
        self.named(zh, n)
    }

    /// How the aggregation is named.
    pub(super) fn aggregate_name(&self, a: Aggregate) -> String {
        let zh = match a {
            Aggregate::Arithmetic => "加权算术平均",
            Aggregate::Geometric => "加权几何平均",
            Aggregate::Harmonic => "加权调和平均",
            Aggregate::Topsis => "TOPSIS 法",
        };
        self.named(zh, a)
    }

    /// How the source of the weights is named.
    pub(super) fn weights_name(&self, w: WeightMethod) -> String {
        let zh = match w {
            WeightMethod::Manual => "人工设定",
            WeightMethod::Equal => "等权",
            WeightMethod::Entropy => "熵权法",
            WeightMethod::Critic => "CRITIC 法",
            WeightMethod::Cv => "变异系数法",
            WeightMethod::Pca => "主成分分析法",
            WeightMethod::Ahp => "层次分析法",
            WeightMethod::Combined => "组合赋权",
        };
        self.named(zh, w)
    }

    /// How the city figure's rule is named.
    pub(super) fn total_name(&self, t: Total) -> String {
        let zh = match t {
            Total::Mean => "各单位平均",
            Total::Population => "按人口加权平均",
            Total::None => "不计算",
        };
        self.named(zh, t)
    }

    /// How the scope of the normalisation is named.
    pub(super) fn scope_name(&self, s: Scope) -> String {
        let zh = match s {
            Scope::Period => "各时期分别",
            Scope::Pooled => "所有时期合并",
            Scope::Base => "基期",
        };
        self.named(zh, s)
    }

    /// How the missing-value rule is named.
    pub(super) fn missing_name(&self, m: Missing) -> String {
        let zh = match m {
            Missing::Error => "报错",
            Missing::Skip => "跳过并重新分配权重",
            Missing::Mean => "以均值填补",
            Missing::Carry => "沿用上期值",
        };
        self.named(zh, m)
    }

    /// The direction of an indicator.
    pub(super) fn direction_name(&self, d: Direction) -> &'static str {
        match d {
            Direction::Higher => self.higher,
            Direction::Lower => self.lower,
        }
    }

    /// The definition's own word, with the Chinese name before it in Chinese.
    fn named(&self, zh: &str, value: impl std::fmt::Display) -> String {
        if self.html_lang == "en" {
            value.to_string()
        } else {
            format!("{zh}（{value}）")
        }
    }
}
