//! The document vocabulary the policy reasons about (DOMAIN.md "IPZS", "Kontrakt socjalny"):
//! which kind of approvable document it is.

use super::vocabulary;

vocabulary! {
    /// The kinds of approvable documents.
    #[derive(sqlx::Type)]
    #[sqlx(type_name = "document_kind", rename_all = "snake_case")]
    pub enum DocumentKind {
        /// Indywidualny program zatrudnienia socjalnego.
        Ipzs = ("ipzs", "Indywidualny program zatrudnienia socjalnego (IPZS)"),
        /// Kontrakt socjalny.
        SocialContract = ("social_contract", "Kontrakt socjalny"),
    }
}
