//! Horizontal bar charts drawn on the server as inline SVG (`templates/reports/_chart.html`):
//! the geometry is computed here, the template only places it. Series are told apart by a fill
//! pattern and by the series' name written beside every bar, never by colour alone; a
//! suppressed value ("<5") draws no bar at all (its length would reveal it) and says "<5".
//! Every chart has a text alternative (its title and a description listing every value) and
//! the page shows the table it is drawn from.

use super::tables::{SMALLEST_SHOWN, SUPPRESSED, percent};

/// The width of the drawing (fits an A4 page in portrait).
pub const WIDTH: i32 = 600;
/// Where the bars start (the legend and the group labels are above them).
const LEFT: i32 = 8;
/// The longest bar.
const PLOT: i32 = 380;
const BAR: i32 = 16;
const GAP: i32 = 4;
const LABEL: i32 = 20;
const GROUP_GAP: i32 = 10;
const LEGEND: i32 = 28;

/// What the bars measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// Numbers of people (the longest shown bar is the largest shown count).
    Count,
    /// Shares of a group, 0–100%.
    Percent,
}

/// One value: `n` people of `of`, `n` as the table shows it (`None`: suppressed, see
/// `tables::suppress`), so that the chart hides what the table hides.
#[derive(Clone, Copy, Debug)]
pub struct Value {
    pub n: Option<i64>,
    pub of: i64,
}

/// A chart ready for the template.
#[derive(Clone, Debug)]
pub struct Chart {
    /// Unique on the page (the ids of its title, description and patterns).
    pub id: &'static str,
    pub title: String,
    pub desc: String,
    pub height: i32,
    pub legend: Vec<LegendItem>,
    pub groups: Vec<Group>,
    /// Vertical grid lines of a percentage scale: (x, label).
    pub ticks: Vec<(i32, String)>,
    /// Where the grid lines begin and end.
    pub plot_top: i32,
    pub plot_bottom: i32,
}

impl Chart {
    pub fn width(&self) -> i32 {
        WIDTH
    }
}

/// A series in the legend: its swatch at (x, y).
#[derive(Clone, Debug)]
pub struct LegendItem {
    pub label: &'static str,
    pub pattern: usize,
    pub x: i32,
    pub y: i32,
}

/// A group of bars under its label.
#[derive(Clone, Debug)]
pub struct Group {
    pub label: String,
    /// The label's baseline.
    pub y: i32,
    pub bars: Vec<Bar>,
}

/// One bar: from `LEFT`, `width` long (0 when suppressed), with its value written after it.
#[derive(Clone, Debug)]
pub struct Bar {
    pub x: i32,
    pub y: i32,
    pub width: i32,
    pub height: i32,
    pub pattern: usize,
    pub text: String,
    pub text_x: i32,
    pub text_y: i32,
}

/// A chart of `groups` (a label and one value per series) with `series` told apart by pattern
/// and name (one unnamed series: just the value).
pub fn bar_chart(
    id: &'static str,
    title: impl Into<String>,
    scale: Scale,
    series: &[&'static str],
    groups: Vec<(String, Vec<Value>)>,
) -> Chart {
    let shown = |v: &Value| -> Option<i64> {
        match scale {
            Scale::Count => v.n.filter(|&n| n >= SMALLEST_SHOWN),
            Scale::Percent => v.n.and_then(|n| percent(n, v.of)),
        }
    };
    let max = match scale {
        Scale::Percent => 100,
        Scale::Count => groups
            .iter()
            .flat_map(|(_, values)| values.iter().filter_map(shown))
            .max()
            .unwrap_or(1)
            .max(1),
    };
    let value_text = |v: &Value| match (shown(v), scale) {
        (Some(p), Scale::Percent) => format!("{p}%"),
        (Some(n), Scale::Count) => n.to_string(),
        (None, _) => SUPPRESSED.to_owned(),
    };
    let named = series.len() > 1;
    let legend: Vec<LegendItem> = if named {
        series
            .iter()
            .enumerate()
            .map(|(i, &label)| LegendItem {
                label,
                pattern: i,
                x: LEFT + 145 * i as i32,
                y: 4,
            })
            .collect()
    } else {
        Vec::new()
    };
    let plot_top = if named { LEGEND } else { 0 };
    let mut y = plot_top;
    let mut desc = Vec::new();
    let mut out = Vec::new();
    for (label, values) in groups {
        let label_y = y + 14;
        y += LABEL;
        let mut bars = Vec::new();
        let mut said = Vec::new();
        for (i, v) in values.iter().enumerate() {
            let width = shown(v).map_or(0, |s| (s * i64::from(PLOT) / max) as i32);
            let value = value_text(v);
            let text = match series.get(i) {
                Some(name) if named => format!("{name}: {value}"),
                _ => value.clone(),
            };
            said.push(text.clone());
            bars.push(Bar {
                x: LEFT,
                y,
                width,
                height: BAR,
                pattern: i,
                text,
                text_x: LEFT + width + 6,
                text_y: y + BAR - 3,
            });
            y += BAR + GAP;
        }
        desc.push(format!("{label} – {}", said.join(", ")));
        out.push(Group {
            label,
            y: label_y,
            bars,
        });
        y += GROUP_GAP;
    }
    let plot_bottom = y;
    let ticks = if scale == Scale::Percent {
        y += 18;
        (0..=4)
            .map(|q| (LEFT + PLOT * q / 4, format!("{}%", 25 * q)))
            .collect()
    } else {
        Vec::new()
    };
    Chart {
        id,
        title: title.into(),
        desc: format!(
            "Wykres słupkowy. {}. Te same liczby są w tabeli obok.",
            desc.join("; ")
        ),
        height: y,
        legend,
        groups: out,
        ticks,
        plot_top,
        plot_bottom,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_suppressed_value_draws_no_bar_and_the_longest_shown_fills_the_plot() {
        let chart = bar_chart(
            "c",
            "t",
            Scale::Count,
            &["x"],
            vec![
                ("a".into(), vec![Value { n: Some(10), of: 0 }]),
                ("b".into(), vec![Value { n: Some(5), of: 0 }]),
                ("c".into(), vec![Value { n: Some(3), of: 0 }]),
            ],
        );
        let widths: Vec<i32> = chart.groups.iter().map(|g| g.bars[0].width).collect();
        assert_eq!(widths, [PLOT, PLOT / 2, 0]);
        assert_eq!(chart.groups[2].bars[0].text, "<5");
        assert!(chart.desc.contains("a – 10; b – 5; c – <5"));
        assert!(!chart.desc.contains('3'));
    }

    #[test]
    fn shares_are_drawn_against_100_percent_and_name_their_series() {
        let chart = bar_chart(
            "s",
            "t",
            Scale::Percent,
            &["zatrudnieni", "bezrobotni", "brak danych"],
            vec![(
                "po 3 miesiącach".into(),
                vec![
                    Value { n: Some(5), of: 10 },
                    Value { n: Some(4), of: 10 },
                    Value { n: None, of: 10 },
                ],
            )],
        );
        let bars = &chart.groups[0].bars;
        assert_eq!(bars[0].width, PLOT / 2);
        assert_eq!(bars[0].text, "zatrudnieni: 50%");
        assert_eq!(bars[1].width, 0);
        assert_eq!(bars[1].text, "bezrobotni: <5");
        // Suppressed by the table (a secondary suppression): no bar, "<5".
        assert_eq!(bars[2].width, 0);
        assert_eq!(bars[2].text, "brak danych: <5");
        assert_eq!(chart.legend.len(), 3);
        assert_eq!(chart.ticks.len(), 5);
    }
}
