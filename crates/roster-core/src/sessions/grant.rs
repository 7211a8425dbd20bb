//! `sessions.issue_tokens`: what the token endpoint does, for either grant.

use roster_domain::OrgKey;

use super::{IssuedTokens, Refresh, Refreshed, SignIn};
use crate::{
    Core, CoreError, Declared, Kind, Principal, Procedure, RequestMeta, Requirement, Secrets,
};

/// The OAuth2 grants Roster knows.
#[derive(Clone)]
pub enum Grant {
    Password {
        username: String,
        password: String,
        organization: Option<OrgKey>,
    },
    RefreshToken {
        refresh_token: String,
    },
}

#[derive(Clone)]
pub struct IssueTokens(pub Grant);

impl Declared for IssueTokens {
    const NAME: &'static str = "sessions.issue_tokens";
    const REQUIRES: Requirement = Requirement::Public;
    const KIND: Kind = Kind::Write;
    const SECRETS: Secrets = Secrets::BOTH;
}

impl Procedure for IssueTokens {
    type Output = IssuedTokens;

    async fn perform(
        self,
        core: &Core,
        principal: &Principal,
        request: &RequestMeta,
    ) -> Result<IssuedTokens, CoreError> {
        match self.0 {
            Grant::Password {
                username,
                password,
                organization,
            } => {
                let sign_in = SignIn {
                    username,
                    password,
                    organization,
                };
                core.perform(principal, request, sign_in).await
            }
            Grant::RefreshToken { refresh_token } => {
                match core
                    .execute(principal, request, Refresh { refresh_token })
                    .await?
                {
                    Refreshed::Issued(tokens) => Ok(tokens),
                    Refreshed::Refused(reason) => Err(CoreError::InvalidGrant(reason.into())),
                }
            }
        }
    }
}
