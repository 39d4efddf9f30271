//! Downloads of tables: a [`Sheet`] built once and written as CSV (as Polish spreadsheets open
//! it) or XLSX, sent as an attachment no cache keeps. The benefit lists and the effectiveness
//! report use it; each area builds its own sheet and audits its own export.

mod csv;
mod table;
mod xlsx;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub use table::{Cell, Kind, Row, Sheet, text};

use crate::error::Result;

/// A file format: its extension and media type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Format {
    pub extension: &'static str,
    pub media_type: &'static str,
}

pub const CSV: Format = Format {
    extension: "csv",
    media_type: "text/csv; charset=utf-8",
};

pub const XLSX: Format = Format {
    extension: "xlsx",
    media_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

/// The bytes of `sheet` as `format`.
pub fn write(sheet: &Sheet, format: Format) -> Result<Vec<u8>> {
    if format == CSV {
        Ok(csv::write(sheet).into_bytes())
    } else {
        Ok(xlsx::write(sheet).map_err(|e| anyhow::anyhow!("xlsx: {e}"))?)
    }
}

/// `sheet` as a download named `file_stem.<extension>` (ASCII) that no cache keeps.
pub fn download(sheet: &Sheet, format: Format, file_stem: &str) -> Result<Response> {
    let body = write(sheet, format)?;
    attachment(
        body,
        format.media_type,
        &format!("{file_stem}.{}", format.extension),
    )
}

/// The file as a download that no cache keeps.
pub fn attachment(body: Vec<u8>, media_type: &'static str, file_name: &str) -> Result<Response> {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\""))
        .map_err(|e| anyhow::anyhow!("file name: {e}"))?;
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    headers.insert(header::CONTENT_DISPOSITION, disposition);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
