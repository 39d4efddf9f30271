//! A sheet as CSV the way Polish spreadsheets open it: UTF-8 with a byte-order mark,
//! semicolons between fields, CRLF line ends, amounts as "1994,40" (a decimal comma, no
//! thousands separator, no currency).

use super::{Cell, Kind, Sheet};

/// The whole file.
pub fn write(sheet: &Sheet) -> String {
    let mut out = String::from('\u{feff}');
    for row in &sheet.rows {
        let fields: Vec<String> = match row.kind {
            Kind::Blank => Vec::new(),
            _ => row.cells.iter().map(cell).collect(),
        };
        out.push_str(&fields.join(";"));
        out.push_str("\r\n");
    }
    out
}

fn cell(value: &Cell) -> String {
    match value {
        Cell::Text(text) => field(&defused(text)),
        Cell::Money(grosze) => amount(*grosze),
        Cell::Number(n) => n.to_string(),
        Cell::Empty => String::new(),
    }
}

/// An amount: "1994,40", "-12,50".
pub fn amount(grosze: i64) -> String {
    let sign = if grosze < 0 { "-" } else { "" };
    let abs = grosze.unsigned_abs();
    format!("{sign}{},{:02}", abs / 100, abs % 100)
}

/// A field quoted when it holds a separator, a quote or a line break (quotes doubled).
pub fn field(text: &str) -> String {
    if text.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// Text a person typed (a name, a reason) that a spreadsheet would take for a formula gets an
/// apostrophe in front, so opening the file never runs it (CSV injection).
fn defused(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_they_must_be() {
        assert_eq!(field("Kowalska"), "Kowalska");
        assert_eq!(field("a;b"), "\"a;b\"");
        assert_eq!(field("powiedział \"nie\""), "\"powiedział \"\"nie\"\"\"");
        assert_eq!(field("dwa\nwiersze"), "\"dwa\nwiersze\"");
        assert_eq!(field("x\r"), "\"x\r\"");
        assert_eq!(field(""), "");
    }

    #[test]
    fn amounts_have_a_decimal_comma_and_no_grouping() {
        assert_eq!(amount(199_440), "1994,40");
        assert_eq!(amount(5), "0,05");
        assert_eq!(amount(0), "0,00");
        assert_eq!(amount(-1_250), "-12,50");
        assert_eq!(amount(123_456_789), "1234567,89");
    }

    #[test]
    fn formulas_typed_into_text_are_not_run() {
        assert_eq!(cell(&Cell::Text("=1+1".into())), "'=1+1");
        assert_eq!(cell(&Cell::Text("-x;y".into())), "\"'-x;y\"");
        assert_eq!(cell(&Cell::Money(-100)), "-1,00");
    }
}
