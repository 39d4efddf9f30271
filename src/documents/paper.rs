//! The paper side of an approvable document: the dates the parties signed a version (the app
//! records them with who recorded them; the signatures themselves are on paper) and the scans of
//! the signed paper. A scan is checked by its first bytes (PDF, JPEG or PNG), never by its name,
//! and kept in the database so that a backup holds it. Both tables are append-only.

use sqlx::{PgConnection, PgExecutor};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::domain::vocabulary;

vocabulary! {
    /// Who signs a document.
    #[derive(sqlx::Type)]
    #[sqlx(type_name = "signature_party", rename_all = "snake_case")]
    pub enum Party {
        /// The participant (the client of a social contract).
        Participant = ("participant", "Uczestnik"),
        /// The manager, for the centre.
        Manager = ("manager", "Kierownik CIS"),
    }
}

/// One recorded signature.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Signature {
    pub version: i32,
    pub party: Party,
    pub signed_on: Date,
    pub recorded_by_name: String,
    pub recorded_at: OffsetDateTime,
}

/// Records that `party` signed version `version` on `signed_on`.
pub async fn record_signature(
    conn: &mut PgConnection,
    centre_id: Uuid,
    document_id: Uuid,
    version: i32,
    party: Party,
    signed_on: Date,
    by: Uuid,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"insert into document_signature (document_id, version, party, centre_id, signed_on, recorded_by)
           values ($1, $2, $3, $4, $5, $6)"#,
        document_id,
        version,
        party as Party,
        centre_id,
        signed_on,
        by
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Every signature of a document, by version.
pub async fn signatures(
    db: impl PgExecutor<'_>,
    document_id: Uuid,
) -> sqlx::Result<Vec<Signature>> {
    sqlx::query_as!(
        Signature,
        r#"select g.version, g.party as "party: Party", g.signed_on,
                  s.full_name as recorded_by_name, g.recorded_at
           from document_signature g join staff_user s on s.staff_user_id = g.recorded_by
           where g.document_id = $1 order by g.version, g.party"#,
        document_id
    )
    .fetch_all(db)
    .await
}

/// The largest scan accepted.
pub const SCAN_LIMIT: usize = 10 * 1024 * 1024;

/// The kinds of scan accepted, told by their first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScanType {
    Pdf,
    Jpeg,
    Png,
}

impl ScanType {
    /// The type of `bytes` by their signature ("magic bytes"); `None` for anything else (an HTML
    /// file renamed `.pdf` included).
    pub fn sniff(bytes: &[u8]) -> Option<ScanType> {
        if bytes.starts_with(b"%PDF-") {
            Some(ScanType::Pdf)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ScanType::Jpeg)
        } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(ScanType::Png)
        } else {
            None
        }
    }

    /// The media type it is stored and served with.
    pub fn media_type(self) -> &'static str {
        match self {
            ScanType::Pdf => "application/pdf",
            ScanType::Jpeg => "image/jpeg",
            ScanType::Png => "image/png",
        }
    }

    /// The extension of the name it is served under.
    pub fn extension(self) -> &'static str {
        match self {
            ScanType::Pdf => "pdf",
            ScanType::Jpeg => "jpg",
            ScanType::Png => "png",
        }
    }
}

/// A scan, without its content.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ScanInfo {
    pub document_scan_id: Uuid,
    pub version: i32,
    pub media_type: String,
    pub file_name: String,
    pub size: i32,
    pub uploaded_by_name: String,
    pub uploaded_at: OffsetDateTime,
}

/// Stores a scan of version `version`.
#[allow(clippy::too_many_arguments)]
pub async fn add_scan(
    conn: &mut PgConnection,
    centre_id: Uuid,
    document_id: Uuid,
    version: i32,
    kind: ScanType,
    file_name: &str,
    content: &[u8],
    by: Uuid,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        r#"insert into document_scan (document_id, version, centre_id, media_type, file_name, content, uploaded_by)
           values ($1, $2, $3, $4, $5, $6, $7) returning document_scan_id"#,
        document_id,
        version,
        centre_id,
        kind.media_type(),
        file_name,
        content,
        by
    )
    .fetch_one(conn)
    .await
}

/// The scans of a document, newest first.
pub async fn scans(db: impl PgExecutor<'_>, document_id: Uuid) -> sqlx::Result<Vec<ScanInfo>> {
    sqlx::query_as!(
        ScanInfo,
        r#"select c.document_scan_id, c.version, c.media_type, c.file_name,
                  octet_length(c.content) as "size!", s.full_name as uploaded_by_name, c.uploaded_at
           from document_scan c join staff_user s on s.staff_user_id = c.uploaded_by
           where c.document_id = $1 order by c.uploaded_at desc"#,
        document_id
    )
    .fetch_all(db)
    .await
}

/// A scan's media type, name and content; `None` when it is not a scan of this document.
pub async fn scan(
    db: impl PgExecutor<'_>,
    document_id: Uuid,
    scan_id: Uuid,
) -> sqlx::Result<Option<(String, String, Vec<u8>)>> {
    let row = sqlx::query!(
        r#"select media_type, file_name, content from document_scan
           where document_id = $1 and document_scan_id = $2"#,
        document_id,
        scan_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (r.media_type, r.file_name, r.content)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_are_told_by_their_first_bytes_not_their_names() {
        assert_eq!(ScanType::sniff(b"%PDF-1.7\n..."), Some(ScanType::Pdf));
        assert_eq!(
            ScanType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]),
            Some(ScanType::Jpeg)
        );
        assert_eq!(
            ScanType::sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some(ScanType::Png)
        );
        assert_eq!(ScanType::sniff(b"<!doctype html><html>"), None);
        assert_eq!(ScanType::sniff(b"%PD"), None);
        assert_eq!(ScanType::sniff(b""), None);
    }
}
