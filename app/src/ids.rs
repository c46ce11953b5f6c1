//! The ids that name who signs in, whose record, and which staff member
//! (SPEC §2.7): an account is a person who signs in, a chart (a patient id)
//! is a patient's record, and the two are told apart by the compiler. A
//! parent's account sees their own chart and their child's; a caregiver's
//! account may see a chart and have none of its own.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

macro_rules! id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(transparent))]
        #[serde(transparent)]
        pub struct $name(i64);

        impl $name {
            /// The id a row, a command line or a test names.
            pub const fn new(id: i64) -> Self {
                $name(id)
            }

            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        /// A positive decimal number, as in a path (`/charts/{id}`) or `--patient ID`.
        impl FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let n: i64 = s.parse()?;
                if n <= 0 {
                    // Zero and negative ids name no row: refuse them as the parse of "" would be.
                    return "".parse::<i64>().map($name);
                }
                Ok($name(n))
            }
        }
    };
}

id! {
    /// A person who signs in: username, password, security question,
    /// passkeys, two-step verification, lock and sessions are theirs.
    AccountId
}

id! {
    /// A patient's chart (the `patients` row).
    PatientId
}

id! {
    /// A member of the practice's staff.
    StaffId
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_parse_from_positive_decimals_only() {
        assert_eq!("42".parse::<PatientId>(), Ok(PatientId::new(42)));
        assert!("0".parse::<PatientId>().is_err());
        assert!("-3".parse::<AccountId>().is_err());
        assert!("4x".parse::<StaffId>().is_err());
        assert!("".parse::<StaffId>().is_err());
    }
}
