//! A sheet as XLSX: a heading (what, when, the centre), a bold header row, money as numbers
//! formatted in złoty (so the spreadsheet can sum them), whole numbers as numbers, totals in
//! bold, set column widths and the header frozen.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::{Cell, Kind, Sheet};

/// The money format; a Polish spreadsheet shows it as "1 994,40 zł".
const MONEY: &str = "#,##0.00 \"zł\"";

/// The workbook's bytes.
pub fn write(sheet: &Sheet) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let ws = workbook.add_worksheet();
    ws.set_name(sheet.name)?;
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(13);
    let header = Format::new().set_bold().set_text_wrap();
    let money = Format::new().set_num_format(MONEY);
    let money_total = Format::new().set_bold().set_num_format(MONEY);
    let plain = Format::new();
    for (col, width) in (0u16..).zip(&sheet.widths) {
        ws.set_column_width(col, *width)?;
    }
    let mut row: u32 = 0;
    for (i, line) in sheet.heading.iter().enumerate() {
        ws.write_string_with_format(row, 0, line, if i == 0 { &title } else { &plain })?;
        row += 1;
    }
    // An empty line between the heading and the table.
    row += 1;
    let first_header = row;
    for r in &sheet.rows {
        let (text_format, money_format) = match r.kind {
            Kind::Header | Kind::Section => (&header, &money),
            Kind::Total => (&bold, &money_total),
            Kind::Data | Kind::Blank => (&plain, &money),
        };
        for (col, cell) in (0u16..).zip(&r.cells) {
            match cell {
                Cell::Text(text) => {
                    ws.write_string_with_format(row, col, text, text_format)?;
                }
                Cell::Money(grosze) => {
                    ws.write_number_with_format(row, col, zloty(*grosze), money_format)?;
                }
                Cell::Number(n) => {
                    ws.write_number_with_format(row, col, zloty(*n * 100), text_format)?;
                }
                Cell::Empty => {}
            }
        }
        row += 1;
    }
    ws.set_freeze_panes(first_header + 1, 0)?;
    workbook.save_to_buffer()
}

/// Grosze as złoty for a spreadsheet cell (a double; exact for any amount below 2^53 grosze).
fn zloty(grosze: i64) -> f64 {
    grosze as f64 / 100.0
}
