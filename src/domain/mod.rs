//! The ground floor of the domain: the closed vocabularies that the policy and every area reason
//! about (roles, participant statuses, eligibility categories, kinds of documents), the one trait every closed
//! vocabulary implements, so that forms, filters and exports treat them alike, the one rule
//! that picks an effective-dated parameter, and how names fold for search.
//!
//! Nothing here imports anything else of the crate: the policy, the audit log and the areas all
//! stand on it.

pub mod benefit;
pub mod calendar;
mod document;
pub mod effective;
pub mod fold;
pub mod money;
mod opinion;
mod participant;
mod role;

pub use document::DocumentKind;
pub use opinion::{OpinionKind, OpinionStatus};
pub use participant::{Category, NoteVisibility, Sensitivity, Status};
pub use role::Role;

/// A closed vocabulary: a fixed set of values, each with a stable code (stored in the database,
/// used in forms and URLs) and a Polish label (shown on screen and in exports). Codes are shown
/// only to machines (UX.md "Show codes only to machines").
pub trait Vocabulary: Copy + Eq + 'static {
    /// Every value, in the order the UI lists them.
    const ALL: &'static [Self];

    /// The stable code.
    fn code(self) -> &'static str;

    /// The Polish label.
    fn label(self) -> &'static str;

    /// Parses a code; `None` for anything that is not one.
    fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == code)
    }
}

/// Declares a closed vocabulary: the enum (with `Clone, Copy, Debug, PartialEq, Eq, Hash`), its
/// inherent `ALL`, `code`, `label` and `from_code`, and the [`Vocabulary`] impl. Each variant is
/// written once, with its code and label:
///
/// ```ignore
/// vocabulary! {
///     /// Who formally referred the person (art. 12 ust. 2).
///     #[derive(sqlx::Type)]
///     #[sqlx(type_name = "referral_referrer", rename_all = "snake_case")]
///     pub enum Referrer {
///         /// The OPS of the place of residence.
///         Ops = ("ops", "Ośrodek pomocy społecznej"),
///         /// The county labour office.
///         Pup = ("pup", "Powiatowy urząd pracy"),
///     }
/// }
/// ```
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = ($code:literal, $label:expr)
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in the order the UI lists them.
            pub const ALL: [$name; [$(stringify!($variant)),+].len()] = [$($name::$variant),+];

            /// The stable code (database, forms, URLs).
            pub fn code(self) -> &'static str {
                match self { $( $name::$variant => $code, )+ }
            }

            /// The Polish label.
            pub fn label(self) -> &'static str {
                match self { $( $name::$variant => $label, )+ }
            }

            /// Parses a code; `None` for anything that is not one.
            pub fn from_code(code: &str) -> Option<$name> {
                $name::ALL.into_iter().find(|v| v.code() == code)
            }
        }

        // Read from its code (JSON built by the database carries codes).
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let code = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                $name::from_code(&code).ok_or_else(|| {
                    serde::de::Error::custom(format!("unknown {} code `{code}`", stringify!($name)))
                })
            }
        }

        impl $crate::domain::Vocabulary for $name {
            const ALL: &'static [$name] = &$name::ALL;

            fn code(self) -> &'static str {
                $name::code(self)
            }

            fn label(self) -> &'static str {
                $name::label(self)
            }
        }
    };
}
pub(crate) use vocabulary;
