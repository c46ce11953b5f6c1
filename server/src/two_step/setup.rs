//! Turning two-step verification on and off in settings (SPEC §2.5). On
//! needs the current password (counted toward the lock like every settings
//! change) and a first code: one sent by text or email ("Send code", 60 s
//! apart, 5 wrong codes void it), or the authenticator app's, for the key
//! the page offers. Then ten backup codes, shown once. Off needs the
//! password; it forgets the backup codes and every remembered device.

use crate::internal::Internal as _;
use app::ids::AccountId;
use app::phone::MobileNumber;
use app::secret::Password;
use app::settings::SettingsError;
use app::two_step::{masked_email, CodesBy, TwoStepSettings, CODE_LIFE_MINUTES, MAX_WRONG_CODES};

use crate::changes::{confirm, reauth};
use crate::audit::{Actor, Entry, Event};
use crate::authenticator::Authenticator;
use crate::client::ClientMeta;
use crate::outbox::{self, Channel, Message};
use crate::two_step::flow::RESEND_SECS as RESEND_INTERVAL_SECS;
use crate::sessions::{Person, SessionToken};
use crate::store::accounts::{self, AccountRow};
use crate::store::states::TwoStepMethod;
use crate::store::two_step as store;
use crate::store::Tx;
use crate::throttle::Endpoint;
use crate::two_step::{codes, send_cap};
use crate::Services;

/// The AAD of a patient's sealed authenticator key.
pub const SEALED_AS: &str = "patient-totp";
/// The AAD of backup codes kept to show once.
pub const CODES_SEALED_AS: &str = "backup-codes";

/// The label an authenticator app shows for the account.
fn app_label(a: &AccountRow) -> String {
    a.username.clone()
}

/// The authenticator key offered to `session`, if it is the one kept.
fn offered_to<'s>(setting: &'s store::SettingRow, session: &SessionToken) -> Option<&'s str> {
    let ours = setting.setup_secret_session.as_deref() == Some(session.storage_key().as_str());
    setting.setup_secret.as_deref().filter(|_| ours)
}

/// What the section shows, to `session`. While it is off, an authenticator
/// key is offered: the one this session was shown (so a wrong code or a
/// reload doesn't undo a scan), else a fresh one that replaces any other
/// session's. A key is set up only from the session that was shown it, so
/// whoever saw another session's page holds no seed that can become valid.
pub async fn view(svc: &Services, a: &AccountRow, session: &SessionToken) -> anyhow::Result<TwoStepSettings> {
    let id = a.account_id.to_string();
    let mut setting = store::setting(&svc.store, a.account_id).await?;
    if setting.method.is_none() && offered_to(&setting, session).is_none() {
        let sealed = svc.authenticators.seal(SEALED_AS, &id, &Authenticator::new_secret());
        store::offer_secret(&svc.store, a.account_id, &sealed, &session.storage_key()).await?;
        setting = store::setting(&svc.store, a.account_id).await?;
    }
    let app_key = match (&setting.method, offered_to(&setting, session)) {
        (None, Some(sealed)) => {
            let auth = Authenticator::new(&svc.authenticators.open(SEALED_AS, &id, sealed)?, &app_label(a))?;
            Some((auth.secret_text(), auth.qr_svg()))
        }
        _ => None,
    };
    // Taking them writes: only when the setting, as read, keeps some.
    let kept = if setting.codes_to_show.is_some() { store::take_codes_to_show(&svc.store, a.account_id).await? } else { None };
    let backup_codes = match kept {
        Some(sealed) => svc.authenticators.open(CODES_SEALED_AS, &id, &sealed)?.split(' ').map(str::to_string).collect(),
        None => Vec::new(),
    };
    Ok(TwoStepSettings {
        on: setting.method.map(CodesBy::from),
        phone: a.mobile.as_ref().map(MobileNumber::masked).unwrap_or_default(),
        email: a.email.as_deref().map(masked_email).unwrap_or_default(),
        app_key,
        code_sent_by: setting.setup_code_hmac.and(setting.setup_method).map(CodesBy::from),
        backup_codes,
    })
}

async fn enrolled(svc: &Services, account: AccountId) -> Result<AccountRow, SettingsError> {
    accounts::of_account(&svc.store, account)
        .await
        .map_err(SettingsError::internal)?
        .ok_or(SettingsError::Portal(app::error::PortalError::NotSignedIn))
}

/// "Send code" for Text or Email: a 6-digit code to the number or address on file.
pub async fn send_code(svc: &Services, client: &ClientMeta, who: Person, by: CodesBy) -> Result<(), SettingsError> {
    svc.throttle.check(Endpoint::SignIn, client.ip).await?;
    let a = enrolled(svc, who.account).await?;
    let lang = a.language;
    let (channel, to) = match by {
        CodesBy::Text => (Channel::Sms, a.mobile.ok_or(SettingsError::NoMobile)?.e164().to_string()),
        CodesBy::Email => (Channel::Email, a.email.ok_or(SettingsError::NoEmail)?),
        CodesBy::App => return Err(SettingsError::AppMakesCodes),
    };
    let at = svc.clock.now();
    let mut tx = svc.store.begin_write().await.map_err(SettingsError::internal)?;
    let setting = store::setting_for_update(&svc.store, &mut tx, who.account).await.map_err(SettingsError::internal)?;
    if setting.method.is_some() {
        return Err(SettingsError::AlreadyOn);
    }
    if let Some(wait) = setting.setup_sent_at.map(|sent| sent + RESEND_INTERVAL_SECS - at).filter(|w| *w > 0) {
        return Err(SettingsError::TooSoon(wait));
    }
    if !send_cap::take(&mut tx, who.account, at).await.map_err(SettingsError::internal)? {
        return Err(SettingsError::TooManyCodes);
    }
    let code = codes::new_code();
    store::setup_code_sent(&mut tx, who.account, TwoStepMethod::from(by), &codes::setup_digest(&svc.two_step_keys, who.account, &code), at)
        .await
        .map_err(SettingsError::internal)?;
    let (subject, body) = codes::message(channel, &code, lang);
    let m = Message { channel, to: &to, subject, body: &body, lang, patient_id: who.chart };
    outbox::enqueue(&mut tx, &svc.bodies, &m, at).await.map_err(SettingsError::internal)?;
    let entry = Entry { patient_id: who.chart, actor: Actor::Patient, event: Event::TwoStepSetupCodeSent, detail: channel.as_str(), client };
    svc.audit.append(&mut tx, entry, at).await.map_err(SettingsError::internal)?;
    tx.commit().await.map_err(SettingsError::internal)
}

/// What a setup code proved: the app's time step, or a sent code.
enum Proved {
    Step(i64),
    Sent,
}

/// "Turn on": the current password and the first code. Returns the backup
/// codes; with `keep_to_show`, they are also kept (sealed) for the next
/// `/settings` (a form posted without JavaScript shows them there, once).
#[allow(clippy::too_many_arguments)]
pub async fn turn_on(
    svc: &Services,
    client: &ClientMeta,
    who: Person,
    session: &crate::sessions::SessionToken,
    by: CodesBy,
    current: &Password,
    typed: &str,
    keep_to_show: bool,
) -> Result<Vec<String>, SettingsError> {
    let typed = codes::typed(typed).ok_or(SettingsError::CodeFormat)?;
    let a = reauth(svc, client, who, current).await?;
    let id = who.account.to_string();
    let at = svc.clock.now();
    let mut tx = svc.store.begin_write().await.map_err(SettingsError::internal)?;
    let setting = store::setting_for_update(&svc.store, &mut tx, who.account).await.map_err(SettingsError::internal)?;
    if setting.method.is_some() {
        return Err(SettingsError::AlreadyOn);
    }
    let proved = match by {
        CodesBy::App => {
            // Only the key this session was shown; another session's page replaced it.
            let sealed = offered_to(&setting, session).ok_or(SettingsError::WrongAppCode)?;
            let auth = Authenticator::new(&svc.authenticators.open(SEALED_AS, &id, sealed).map_err(SettingsError::internal)?, "").map_err(SettingsError::internal)?;
            auth.step_of(typed.expose(), at).map(Proved::Step)
        }
        _ => {
            let waiting = setting.setup_method == Some(TwoStepMethod::from(by))
                && setting.setup_sent_at.is_some_and(|sent| at < sent + CODE_LIFE_MINUTES * 60);
            let Some(kept) = setting.setup_code_hmac.as_deref().filter(|_| waiting) else {
                return Err(SettingsError::SendCodeFirst);
            };
            codes::setup_matches(&svc.two_step_keys, who.account, kept, &typed).then_some(Proved::Sent)
        }
    };
    let Some(proved) = proved else {
        let left = MAX_WRONG_CODES - setting.setup_failures - 1;
        if by != CodesBy::App {
            store::setup_code_failed(&mut tx, who.account, left <= 0).await.map_err(SettingsError::internal)?;
        }
        let entry = Entry { patient_id: who.chart, actor: Actor::Patient, event: Event::TwoStepSetupFailed, detail: "", client };
        svc.audit.append(&mut tx, entry, at).await.map_err(SettingsError::internal)?;
        tx.commit().await.map_err(SettingsError::internal)?;
        return Err(if by == CodesBy::App { SettingsError::WrongAppCode } else if left <= 0 { SettingsError::SendCodeFirst } else { SettingsError::WrongCode(left) });
    };
    let shown = codes::new_backup_codes();
    let digests: Vec<String> = shown.iter().map(|c| codes::backup_digest(&svc.two_step_keys, who.account, &codes::normalised(c))).collect();
    store::replace_backup_codes(&mut tx, who.account, &digests).await.map_err(SettingsError::internal)?;
    let totp = match proved {
        Proved::Step(step) => Some((setting.setup_secret.as_deref().unwrap_or_default(), step)),
        Proved::Sent => None,
    };
    let to_show = keep_to_show.then(|| svc.authenticators.seal(CODES_SEALED_AS, &id, &shown.join(" ")));
    store::turn_on(&mut tx, who.account, TwoStepMethod::from(by), totp, at, to_show.as_deref()).await.map_err(SettingsError::internal)?;
    // The code that turned it on is a second step passed in this session.
    crate::changes::step_up::mark(&mut tx, session, at).await.map_err(SettingsError::internal)?;
    confirm(svc, &mut tx, &a, client, Event::TwoStepTurnedOn, app::i18n::Setting::TwoStep, at).await?;
    tx.commit().await.map_err(SettingsError::internal)?;
    Ok(shown)
}

/// "Turn off", with the current password.
pub async fn turn_off(svc: &Services, client: &ClientMeta, who: Person, current: &Password) -> Result<(), SettingsError> {
    let a = reauth(svc, client, who, current).await?;
    let at = svc.clock.now();
    let mut tx = svc.store.begin_write().await.map_err(SettingsError::internal)?;
    if store::setting_for_update(&svc.store, &mut tx, who.account).await.map_err(SettingsError::internal)?.method.is_none() {
        return Err(SettingsError::AlreadyOff);
    }
    store::turn_off(&mut tx, who.account, at).await.map_err(SettingsError::internal)?;
    confirm(svc, &mut tx, &a, client, Event::TwoStepTurnedOff, app::i18n::Setting::TwoStep, at).await?;
    tx.commit().await.map_err(SettingsError::internal)
}

/// Staff's "Turn off two-step verification" in `tx` (the caller audits and notifies).
pub async fn turn_off_for_staff(tx: &mut Tx, account: AccountId, at: i64) -> sqlx::Result<bool> {
    let on = store::setting(&mut **tx, account).await?.method.is_some();
    if on {
        store::turn_off(tx, account, at).await?;
    }
    Ok(on)
}
