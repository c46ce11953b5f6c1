//! Passkeys (SPEC §2.1, §2.5) through `webauthn-rs`: a signed-in patient adds
//! one (a discoverable credential, so that signing in needs no username),
//! and anyone may sign in with one, from the "Sign in with a passkey" button
//! or the browser's autofill. Each ceremony expires after 5 minutes and
//! works once. Adding a passkey keeps its ceremony's state in the database
//! (`passkey_ceremonies`); signing in, which every `/login` visit with
//! JavaScript starts for the autofill, keeps it sealed in the ceremony's
//! token instead (no row and no sign-in try per page view), and a row only
//! marks it spent when an answer comes back; the
//! relying party is `PORTAL_PUBLIC_URL` (its origin, its host as the RP ID),
//! so a passkey of another site, or an answer for another origin, fails
//! webauthn-rs's checks; a counter that goes backwards (a cloned
//! authenticator) is refused; a passkey of a removed or revoked account opens
//! nothing. Every outcome is audited. A passkey sign-in skips the second step.

use crate::internal::Internal as _;
use app::i18n::Lang;
use app::ids::AccountId;
use app::error::PortalError;
use app::passkeys::{PasskeyError, PasskeyView, CEREMONY_MINUTES};
use app::secret::Password;
use app::settings::SettingsError;
use webauthn_rs::prelude::{
    CreationChallengeResponse, DiscoverableAuthentication, DiscoverableKey, Passkey, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential, RequestChallengeResponse, Uuid, Webauthn, WebauthnBuilder, WebauthnError,
};

use crate::audit::{Actor, Entry, Event};
use crate::client::ClientMeta;
use crate::config::Config;
use crate::sessions::{Person, SessionToken};
use crate::store::passkeys::{self as store, CeremonyKind, NewCeremony};
use crate::store::states::EnrollmentState;
use crate::store::{accounts, grants, Tx};
use crate::throttle::Endpoint;
use crate::tokens::SecretToken;
use crate::Services;

const CEREMONY_SECS: i64 = CEREMONY_MINUTES * 60;

/// The origin passkeys work at: `PORTAL_PUBLIC_URL`'s. Browsers take no IP
/// address as a relying party, so on a loopback address (development, the
/// tests) `localhost` stands in for it.
pub fn origin(config: &Config) -> url::Url {
    let mut origin = config.public_url.clone();
    let loopback = match origin.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        _ => false,
    };
    if loopback {
        let _ = origin.set_host(Some("localhost"));
    }
    origin
}

/// The relying party: the passkey origin, and its host as the RP ID.
pub fn relying_party(config: &Config) -> anyhow::Result<Webauthn> {
    let origin = origin(config);
    let rp_id = origin.host_str().ok_or_else(|| anyhow::anyhow!("PORTAL_PUBLIC_URL has no host"))?;
    Ok(WebauthnBuilder::new(rp_id, &origin)?.rp_name("Patient Portal").build()?)
}

/// Why webauthn-rs refused an answer, in the patient's words.
fn refusal(e: &WebauthnError) -> PasskeyError {
    match e {
        WebauthnError::InvalidRPOrigin | WebauthnError::InvalidRPIDHash | WebauthnError::CredentialCrossOrigin => PasskeyError::WrongSite,
        WebauthnError::CredentialPossibleCompromise => PasskeyError::Cloned,
        WebauthnError::MismatchedChallenge => PasskeyError::Expired,
        _ => PasskeyError::Refused,
    }
}

async fn note(svc: &Services, tx: &mut Tx, account: Option<AccountId>, event: Event, detail: &str, client: &ClientMeta, at: i64) -> sqlx::Result<()> {
    let actor = if account.is_some() { Actor::Patient } else { Actor::Anonymous };
    let patient_id = match account {
        Some(account) => grants::home_chart(&mut **tx, account, at).await?,
        None => None,
    };
    svc.audit.append(tx, Entry { patient_id, actor, event, detail, client }, at).await
}

/// Audits a refused ceremony in a transaction of its own, and hands the refusal back.
async fn refused(svc: &Services, account: Option<AccountId>, event: Event, why: PasskeyError, client: &ClientMeta) -> PasskeyError {
    let at = svc.clock.now();
    let detail = format!("{why:?}");
    let audited = async {
        let mut tx = svc.store.begin_write().await?;
        note(svc, &mut tx, account, event, &detail, client, at).await?;
        tx.commit().await
    };
    match audited.await {
        Ok(()) => why,
        Err(e) => PasskeyError::internal(e),
    }
}

fn webauthn(svc: &Services) -> Result<&Webauthn, PasskeyError> {
    svc.webauthn.as_ref().ok_or(PasskeyError::Portal(PortalError::Internal))
}

/// Emails the account that its passkeys changed (SPEC §5), in `tx`.
async fn tell_of_change(svc: &Services, tx: &mut Tx, account: AccountId, at: i64) -> sqlx::Result<()> {
    let Some(a) = accounts::of_account(&mut **tx, account).await? else { return Ok(()) };
    crate::changes::tell(svc, tx, a.email.as_deref(), &a.first_name, a.language, a.patient_id, app::i18n::Setting::Passkeys, at).await
}

/// The passkeys of an account, for the settings list.
pub async fn list(svc: &Services, account: AccountId, lang: Lang) -> sqlx::Result<Vec<PasskeyView>> {
    let cfg = &svc.config;
    Ok(store::of_account(&svc.store, account)
        .await?
        .into_iter()
        .map(|p| PasskeyView {
            id: p.id,
            name: p.name,
            added: cfg.patient_date(lang, p.created_at),
            last_used: p.last_used_at.map(|t| cfg.patient_date_time(lang, t)),
        })
        .collect())
}

/// The options for the browser's "create a passkey" prompt, and the
/// ceremony's token. `name` is what the list will call it (else a default).
/// The current password comes first (SPEC §2.5: a borrowed session alone
/// can't add a credential); a wrong one counts toward the account's lock.
pub async fn start_registration(
    svc: &Services,
    client: &ClientMeta,
    who: Person,
    current: &Password,
    name: Option<String>,
) -> Result<(String, serde_json::Value), PasskeyError> {
    let wa = webauthn(svc)?;
    crate::changes::reauth(svc, client, who, current).await.map_err(|e| match e {
        SettingsError::WrongPassword => PasskeyError::WrongPassword,
        SettingsError::SignInAgain(minutes) => PasskeyError::SignInAgain(minutes),
        SettingsError::Portal(p) => PasskeyError::Portal(p),
        _ => PasskeyError::Portal(PortalError::Internal),
    })?;
    let account = who.account;
    let a = accounts::of_account(&svc.store, account).await.map_err(PasskeyError::internal)?.ok_or(PortalError::NotSignedIn)?;
    let handle = store::user_handle(&svc.store, account, &Uuid::new_v4().to_string()).await.map_err(PasskeyError::internal)?;
    let user = Uuid::parse_str(&handle).map_err(PasskeyError::internal)?;
    let existing = store::of_account(&svc.store, account).await.map_err(PasskeyError::internal)?;
    let exclude = existing.iter().filter_map(|p| serde_json::from_str::<Passkey>(&p.passkey).ok()).map(|p| p.cred_id().clone()).collect::<Vec<_>>();
    let label = a.username.clone();
    let (ccr, state): (CreationChallengeResponse, PasskeyRegistration) =
        wa.start_passkey_registration(user, &label, &a.first_name, Some(exclude)).map_err(PasskeyError::internal)?;
    let name = name.unwrap_or_else(|| format!("Passkey {}", existing.len() + 1));
    let token = SecretToken::generate();
    let at = svc.clock.now();
    let state = serde_json::to_string(&state).map_err(PasskeyError::internal)?;
    let c = NewCeremony { token_key: &token.storage_key(), kind: CeremonyKind::Register, account_id: Some(account), name: Some(&name), state: &state };
    store::insert_ceremony(&svc.store, c, at, at + CEREMONY_SECS).await.map_err(PasskeyError::internal)?;
    // A passkey signs in without a username only if the authenticator keeps it (discoverable).
    let mut options = serde_json::to_value(&ccr).map_err(PasskeyError::internal)?;
    if let Some(pk) = options.get_mut("publicKey").and_then(|v| v.as_object_mut()) {
        let sel = pk.entry("authenticatorSelection").or_insert_with(|| serde_json::json!({ "userVerification": "required" }));
        if let Some(sel) = sel.as_object_mut() {
            sel.insert("residentKey".into(), "required".into());
            sel.insert("requireResidentKey".into(), true.into());
        }
    }
    Ok((token.expose().to_string(), options))
}

/// Takes the ceremony `token` of `kind` for its finish (it works once, and only while live).
async fn take(svc: &Services, token: &str, kind: CeremonyKind) -> Result<store::CeremonyRow, PasskeyError> {
    let at = svc.clock.now();
    let key = SecretToken::from_presented(token.to_string()).storage_key();
    let c = store::take_ceremony(&svc.store, &key, at).await.map_err(PasskeyError::internal)?;
    c.filter(|c| c.kind == kind && c.used_at.is_none() && at < c.expires_at).ok_or(PasskeyError::Expired)
}

/// The browser's answer to the "create a passkey" prompt: the passkey is added.
pub async fn finish_registration(
    svc: &Services,
    client: &ClientMeta,
    account: AccountId,
    token: &str,
    answer: &RegisterPublicKeyCredential,
) -> Result<(), PasskeyError> {
    let wa = webauthn(svc)?;
    let c = match take(svc, token, CeremonyKind::Register).await {
        Ok(c) if c.account_id == Some(account) => c,
        Ok(_) | Err(PasskeyError::Expired) => return Err(refused(svc, Some(account), Event::PasskeyAddRefused, PasskeyError::Expired, client).await),
        Err(e) => return Err(e),
    };
    let state: PasskeyRegistration = serde_json::from_str(&c.state).map_err(PasskeyError::internal)?;
    let passkey = match wa.finish_passkey_registration(answer, &state) {
        Ok(p) => p,
        Err(e) => return Err(refused(svc, Some(account), Event::PasskeyAddRefused, refusal(&e), client).await),
    };
    let credential_id = base64_id(passkey.cred_id().as_ref());
    let at = svc.clock.now();
    let name = c.name.unwrap_or_default();
    let mut tx = svc.store.begin_write().await.map_err(PasskeyError::internal)?;
    if store::by_credential_for_update(&svc.store, &mut tx, &credential_id).await.map_err(PasskeyError::internal)?.is_some() {
        return Err(PasskeyError::AlreadyAdded);
    }
    store::insert(&mut tx, account, &credential_id, &name, &serde_json::to_string(&passkey).map_err(PasskeyError::internal)?, at).await.map_err(PasskeyError::internal)?;
    note(svc, &mut tx, Some(account), Event::PasskeyAdded, &name, client, at).await.map_err(PasskeyError::internal)?;
    tell_of_change(svc, &mut tx, account, at).await.map_err(PasskeyError::internal)?;
    tx.commit().await.map_err(PasskeyError::internal)
}

fn base64_id(bytes: &[u8]) -> String {
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The AAD of a sign-in ceremony's sealed state.
const SIGN_IN_SEALED_AS: &str = "passkey-sign-in";

/// A sign-in ceremony as its token carries it, sealed.
#[derive(serde::Serialize, serde::Deserialize)]
struct SignInCeremony {
    state: DiscoverableAuthentication,
    expires_at: i64,
}

/// The options for "Sign in with a passkey" (and the autofill), and the
/// ceremony's token: its state, sealed. Nothing is written and no sign-in
/// try is spent (every `/login` visit with JavaScript starts one); the
/// answer is what counts ([`finish_sign_in`]).
pub async fn start_sign_in(svc: &Services) -> Result<(String, RequestChallengeResponse), PasskeyError> {
    let wa = webauthn(svc)?;
    let (rcr, state): (RequestChallengeResponse, DiscoverableAuthentication) = wa.start_discoverable_authentication().map_err(PasskeyError::internal)?;
    let ceremony = SignInCeremony { state, expires_at: svc.clock.now() + CEREMONY_SECS };
    let sealed = svc.authenticators.seal(SIGN_IN_SEALED_AS, "", &serde_json::to_string(&ceremony).map_err(PasskeyError::internal)?);
    Ok((sealed, rcr))
}

/// The sign-in ceremony `token` seals, spent (it works once, and only while live).
async fn spend_sign_in(svc: &Services, token: &str) -> Result<SignInCeremony, PasskeyError> {
    let at = svc.clock.now();
    let opened = svc.authenticators.open(SIGN_IN_SEALED_AS, "", token).ok();
    let c: SignInCeremony = opened.and_then(|json| serde_json::from_str(&json).ok()).ok_or(PasskeyError::Expired)?;
    if at >= c.expires_at {
        return Err(PasskeyError::Expired);
    }
    let key = SecretToken::from_presented(token.to_string()).storage_key();
    if !store::spend_sign_in(&svc.store, &key, at, c.expires_at).await.map_err(PasskeyError::internal)? {
        return Err(PasskeyError::Expired);
    }
    Ok(c)
}

/// The browser's answer to the sign-in prompt: a new session (no second step).
pub async fn finish_sign_in(
    svc: &Services,
    client: &ClientMeta,
    token: &str,
    answer: &PublicKeyCredential,
    old: Option<&SessionToken>,
) -> Result<SessionToken, PasskeyError> {
    svc.throttle.check(Endpoint::SignIn, client.ip).await?;
    let wa = webauthn(svc)?;
    let state = match spend_sign_in(svc, token).await {
        Ok(c) => c.state,
        Err(PasskeyError::Expired) => return Err(refused(svc, None, Event::PasskeySignInRefused, PasskeyError::Expired, client).await),
        Err(e) => return Err(e),
    };
    let credential_id = base64_id(answer.get_credential_id());
    let at = svc.clock.now();
    let mut tx = svc.store.begin_write().await.map_err(PasskeyError::internal)?;
    let Some(row) = store::by_credential_for_update(&svc.store, &mut tx, &credential_id).await.map_err(PasskeyError::internal)? else {
        drop(tx);
        return Err(refused(svc, None, Event::PasskeySignInRefused, PasskeyError::Unknown, client).await);
    };
    let account = row.account_id;
    // The user handle the authenticator gave must be the one of the passkey's patient.
    let handle = wa.identify_discoverable_authentication(answer).ok().map(|(u, _)| u.to_string());
    let owner = match handle {
        Some(h) => store::account_of_handle(&svc.store, &h).await.map_err(PasskeyError::internal)?,
        None => None,
    };
    if owner != Some(account) {
        drop(tx);
        return Err(refused(svc, Some(account), Event::PasskeySignInRefused, PasskeyError::Refused, client).await);
    }
    let mut passkey: Passkey = serde_json::from_str(&row.passkey).map_err(PasskeyError::internal)?;
    let result = match wa.finish_discoverable_authentication(answer, state, &[DiscoverableKey::from(&passkey)]) {
        Ok(r) => r,
        Err(e) => {
            drop(tx);
            return Err(refused(svc, Some(account), Event::PasskeySignInRefused, refusal(&e), client).await);
        }
    };
    // Decided: the account's lock is not checked here. The lock stops the
    // guessing of passwords, answers and codes, and a passkey can't be
    // guessed; checking it would let whoever locks a patient out with wrong
    // passwords keep them out. A revoked account is refused below; the lock
    // count stays for passwords (tests/it/passkeys.rs).
    let own = accounts::of_account(&mut *tx, account).await.map_err(PasskeyError::internal)?;
    let chart = match own.map(|a| (a.state, a.patient_id)) {
        Some((EnrollmentState::Enrolled, chart)) => chart,
        Some((EnrollmentState::Revoked, _)) => {
            drop(tx);
            return Err(refused(svc, Some(account), Event::SignInRefusedRevoked, PasskeyError::Portal(PortalError::Revoked), client).await);
        }
        _ => {
            drop(tx);
            return Err(refused(svc, Some(account), Event::PasskeySignInRefused, PasskeyError::Unknown, client).await);
        }
    };
    passkey.update_credential(&result);
    let counter = i64::from(result.counter());
    store::used(&mut tx, row.id, &serde_json::to_string(&passkey).map_err(PasskeyError::internal)?, counter, at).await.map_err(PasskeyError::internal)?;
    note(svc, &mut tx, Some(account), Event::PasskeyUsed, &row.name, client, at).await.map_err(PasskeyError::internal)?;
    let session = crate::sessions::start(svc, &mut tx, Person { account, chart }, old, crate::sessions::Proved::Passkey, client, at).await.map_err(PasskeyError::internal)?;
    tx.commit().await.map_err(PasskeyError::internal)?;
    Ok(session)
}

/// "Remove": the passkey stops working at once.
pub async fn remove(svc: &Services, client: &ClientMeta, account: AccountId, id: i64) -> Result<String, PasskeyError> {
    let at = svc.clock.now();
    let mut tx = svc.store.begin_write().await.map_err(PasskeyError::internal)?;
    let name = store::remove(&mut tx, account, id).await.map_err(PasskeyError::internal)?.ok_or(PasskeyError::NotYours)?;
    note(svc, &mut tx, Some(account), Event::PasskeyRemoved, &name, client, at).await.map_err(PasskeyError::internal)?;
    tell_of_change(svc, &mut tx, account, at).await.map_err(PasskeyError::internal)?;
    tx.commit().await.map_err(PasskeyError::internal)?;
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_url_is_the_relying_party() {
        let mut config = Config::defaults();
        config.public_url = url::Url::parse("https://portal.example.com").unwrap();
        relying_party(&config).unwrap();
        config.public_url = url::Url::parse("http://127.0.0.1:3000").unwrap();
        relying_party(&config).unwrap();
        assert_eq!(origin(&config).as_str(), "http://localhost:3000/");
        config.public_url = url::Url::parse("http://10.0.0.5").unwrap();
        assert!(relying_party(&config).is_err(), "no IP address can be a relying party");
    }
}
