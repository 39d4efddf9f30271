//! A table of cells built once and written as CSV or XLSX (so both formats always hold the same
//! rows): the benefit lists and the effectiveness report are built as a [`Sheet`].

/// One cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    /// Text (a name, a date, a label).
    Text(String),
    /// An amount in grosze (a money cell in XLSX, "1994,40" in CSV).
    Money(i64),
    /// A whole number (the Lp. column, a count).
    Number(i64),
    /// Nothing.
    Empty,
}

/// A cell as a page shows it (a table on screen or in a print built from the same sheet).
impl std::fmt::Display for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cell::Text(text) => f.write_str(text),
            Cell::Money(grosze) => f.write_str(&super::csv::amount(*grosze)),
            Cell::Number(n) => write!(f, "{n}"),
            Cell::Empty => Ok(()),
        }
    }
}

/// What a row is, for its style.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Column headings.
    Header,
    /// A data row (a person, a figure).
    Data,
    /// A sum.
    Total,
    /// A section's title, in the first cell.
    Section,
    /// An empty line between sections.
    Blank,
}

/// One row.
#[derive(Clone, Debug)]
pub struct Row {
    pub kind: Kind,
    pub cells: Vec<Cell>,
}

/// A list ready to be written.
#[derive(Clone, Debug)]
pub struct Sheet {
    /// The worksheet's name.
    pub name: &'static str,
    /// The lines above the table in XLSX (title, centre); CSV starts with the header.
    pub heading: Vec<String>,
    /// Column widths in characters (XLSX).
    pub widths: Vec<f64>,
    pub rows: Vec<Row>,
    /// How many data rows the table has (the audit's `rows=`).
    pub data_rows: usize,
}

impl Sheet {
    pub fn new(name: &'static str, heading: Vec<String>, widths: Vec<f64>) -> Self {
        Self {
            name,
            heading,
            widths,
            rows: Vec::new(),
            data_rows: 0,
        }
    }

    pub fn push(&mut self, kind: Kind, cells: Vec<Cell>) {
        if kind == Kind::Data {
            self.data_rows += 1;
        }
        self.rows.push(Row { kind, cells });
    }

    pub fn header(&mut self, labels: &[&str]) {
        self.push(Kind::Header, labels.iter().map(|l| text(*l)).collect());
    }
}

/// A text cell.
pub fn text(value: impl Into<String>) -> Cell {
    Cell::Text(value.into())
}
