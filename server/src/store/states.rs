//! The states kept as text in the database, as enums: each with its one
//! text mapping, bound and read as itself (never a literal in SQL), and
//! refused when a row holds a text it doesn't know.

/// An enum stored as text: the variants, each with its text, once. Domain
/// modules define their own with it (`recovery::flow::Step`, `outbox::Channel`).
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            pub fn parse(text: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.as_str() == text)
            }
        }

        impl sqlx::Type<sqlx::Any> for $name {
            fn type_info() -> sqlx::any::AnyTypeInfo {
                <str as sqlx::Type<sqlx::Any>>::type_info()
            }

            fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
                <str as sqlx::Type<sqlx::Any>>::compatible(ty)
            }
        }

        impl sqlx::Encode<'_, sqlx::Any> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut <sqlx::Any as sqlx::Database>::ArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<'_, sqlx::Any>>::encode(self.as_str(), buf)
            }
        }

        impl<'r> sqlx::Decode<'r, sqlx::Any> for $name {
            fn decode(value: <sqlx::Any as sqlx::Database>::ValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                let text = <&str as sqlx::Decode<'r, sqlx::Any>>::decode(value)?;
                $name::parse(text).ok_or_else(|| format!("{}: unknown value {text:?}", stringify!($name)).into())
            }
        }
    };
}

pub(crate) use text_enum;

text_enum! {
    /// A chart's enrollment (`enrollments.state`): whether its own patient
    /// was invited, enrolled, or had their access turned off; a chart
    /// without a row was never invited.
    EnrollmentState {
        Invited = "invited",
        Enrolled = "enrolled",
        Revoked = "revoked",
    }
}

text_enum! {
    /// What a grant makes the account to the chart's patient (`grants.relationship`, SPEC §2.7).
    Relationship {
        /// The account is the chart's own patient.
        Own = "self",
        Parent = "parent",
        Spouse = "spouse",
        AdultChild = "adult_child",
        Caregiver = "caregiver",
        Other = "other",
    }
}

impl From<app::family::Relation> for Relationship {
    fn from(r: app::family::Relation) -> Relationship {
        use app::family::Relation as R;
        match r {
            R::Parent => Relationship::Parent,
            R::Spouse => Relationship::Spouse,
            R::AdultChild => Relationship::AdultChild,
            R::Caregiver => Relationship::Caregiver,
            R::Other => Relationship::Other,
        }
    }
}

impl Relationship {
    /// What the account is to the patient; `None` for the patient's own account.
    pub fn relation(self) -> Option<app::family::Relation> {
        use app::family::Relation as R;
        match self {
            Relationship::Own => None,
            Relationship::Parent => Some(R::Parent),
            Relationship::Spouse => Some(R::Spouse),
            Relationship::AdultChild => Some(R::AdultChild),
            Relationship::Caregiver => Some(R::Caregiver),
            Relationship::Other => Some(R::Other),
        }
    }
}

text_enum! {
    /// An invitation link (`invitations.state`): open until used, or voided
    /// by a newer one or a revoke (expiry is its own column).
    InvitationState {
        Open = "open",
        Used = "used",
        Void = "void",
    }
}

text_enum! {
    /// A message in the outbox (`outbox.status`).
    DeliveryStatus {
        Queued = "queued",
        Sent = "sent",
        Failed = "failed",
    }
}

text_enum! {
    /// How a patient's two-step codes come (`two_step_settings.method`,
    /// `sign_in_challenges.method`).
    TwoStepMethod {
        Text = "text",
        Email = "email",
        App = "app",
    }
}

impl From<app::two_step::CodesBy> for TwoStepMethod {
    fn from(by: app::two_step::CodesBy) -> Self {
        use app::two_step::CodesBy;
        match by {
            CodesBy::Text => TwoStepMethod::Text,
            CodesBy::Email => TwoStepMethod::Email,
            CodesBy::App => TwoStepMethod::App,
        }
    }
}

impl From<TwoStepMethod> for app::two_step::CodesBy {
    fn from(m: TwoStepMethod) -> Self {
        use app::two_step::CodesBy;
        match m {
            TwoStepMethod::Text => CodesBy::Text,
            TwoStepMethod::Email => CodesBy::Email,
            TwoStepMethod::App => CodesBy::App,
        }
    }
}

text_enum! {
    /// How a message goes out (`outbox.channel`, `reset_flows.code_channel`).
    Channel {
        Email = "email",
        Sms = "sms",
        Voice = "voice",
    }
}

text_enum! {
    /// Where a reset flow is (`reset_flows.step`).
    Step {
        ChooseMethod = "choose_method",
        Question = "question",
        CodeSent = "code_sent",
        Passed = "passed",
        Done = "done",
        Void = "void",
    }
}

impl EnrollmentState {
    /// What the staff console calls a chart with this account (or none).
    pub fn portal_status(state: Option<EnrollmentState>) -> app::staff::PortalStatus {
        use app::staff::PortalStatus;
        match state {
            None => PortalStatus::NotInvited,
            Some(EnrollmentState::Invited) => PortalStatus::Invited,
            Some(EnrollmentState::Enrolled) => PortalStatus::Enrolled,
            Some(EnrollmentState::Revoked) => PortalStatus::Revoked,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_state_reads_back_from_its_text_and_no_other() {
        for s in EnrollmentState::ALL {
            assert_eq!(EnrollmentState::parse(s.as_str()), Some(*s));
        }
        for r in Relationship::ALL {
            assert_eq!(Relationship::parse(r.as_str()), Some(*r));
            assert_eq!(r.relation().map(Relationship::from).unwrap_or(Relationship::Own), *r);
        }
        for s in InvitationState::ALL {
            assert_eq!(InvitationState::parse(s.as_str()), Some(*s));
        }
        for s in DeliveryStatus::ALL {
            assert_eq!(DeliveryStatus::parse(s.as_str()), Some(*s));
        }
        for m in TwoStepMethod::ALL {
            assert_eq!(TwoStepMethod::parse(m.as_str()), Some(*m));
            assert_eq!(TwoStepMethod::from(app::two_step::CodesBy::from(*m)), *m);
        }
        assert_eq!(EnrollmentState::parse("Enrolled"), None);
        assert_eq!(EnrollmentState::parse(""), None);
    }
}
