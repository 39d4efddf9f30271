//! Demo scans of signed paper: in the first centre, the signed version of the programme with
//! the most versions gets a one-page PDF "scan", so that the document's page offers a download
//! and the subject-access export of its participant holds a scan. Added once.

use sqlx::PgPool;

use crate::documents::paper::{self, ScanType};

/// Adds the scan (once: nothing is done when any scan exists).
pub async fn seed(db: &PgPool, centre_name: &str) -> anyhow::Result<()> {
    let exists: bool =
        sqlx::query_scalar!(r#"select exists (select 1 from document_scan) as "e!""#)
            .fetch_one(db)
            .await?;
    if exists {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    let signed = sqlx::query!(
        r#"select d.document_id, d.centre_id, g.version, g.recorded_by
           from document d join centre c using (centre_id)
           join document_signature g on g.document_id = d.document_id and g.party = 'participant'
           where c.name = $1 and d.kind = 'ipzs'
           order by d.current_version desc, d.document_id, g.version limit 1"#,
        centre_name
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(s) = signed {
        paper::add_scan(
            &mut tx,
            s.centre_id,
            s.document_id,
            s.version,
            ScanType::Pdf,
            "ipzs-podpisany.pdf",
            &pdf("Skan podpisanego IPZS (dane demonstracyjne)"),
            s.recorded_by,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A valid one-page PDF showing `line` (ASCII-safe text only; the cross-reference table holds
/// the objects' real offsets).
fn pdf(line: &str) -> Vec<u8> {
    let text: String = line.chars().filter(char::is_ascii).collect();
    let stream = format!("BT /F1 14 Tf 72 760 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_owned(),
        format!(
            "<< /Length {} >>\nstream\n{stream}\nendstream",
            stream.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut out = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.push_str(&format!("{} 0 obj\n{body}\nendobj\n", i + 1));
    }
    let xref = out.len();
    out.push_str(&format!(
        "xref\n0 {}\n0000000000 65535 f \n",
        objects.len() + 1
    ));
    for offset in offsets {
        out.push_str(&format!("{offset:010} 00000 n \n"));
    }
    out.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_scan_is_a_pdf_whose_cross_references_point_at_its_objects() {
        let bytes = pdf("Skan – próba");
        assert_eq!(ScanType::sniff(&bytes), Some(ScanType::Pdf));
        let text = String::from_utf8(bytes).unwrap_or_default();
        let at = |n: usize| text.find(&format!("\n{n} 0 obj")).map(|i| i + 1);
        assert_eq!(at(1), Some(9), "the first object follows the 9-byte header");
        let xref = text.find("xref").unwrap_or_default();
        assert!(text.ends_with(&format!("startxref\n{xref}\n%%EOF\n")));
        assert!(text.contains(&format!("{:010} 00000 n ", at(3).unwrap_or_default())));
    }
}
