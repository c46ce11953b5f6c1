//! The patient portal's backend: the axum server, storage, credentials,
//! sessions and the CLI's commands. `app` defines the port; `portal`
//! implements it.

pub mod account;
pub mod audit;
pub mod changes;
pub mod backend;
pub mod authenticator;
pub mod client;
pub mod clock;
pub mod config;
pub mod credentials;
pub mod delivery;
pub mod demo;
pub mod enrollment;
pub mod family;
pub mod even_time;
pub mod http;
pub mod internal;
pub mod language;
pub mod lockout;
pub mod lookalike;
pub mod metrics;
pub mod notice;
pub mod outbox;
pub mod passkeys;
pub mod password;
pub mod patients;
pub mod person;
pub mod policy;
pub mod portal;
pub mod recovery;
pub mod sealed;
pub mod rekey;
pub mod secret_key;
pub mod sessions;
pub mod signin;
pub mod staff;
pub mod store;
pub mod throttle;
pub mod tokens;
pub mod two_step;

use std::sync::Arc;

use clock::Clock;
use config::Config;
use credentials::Hasher;
use store::Store;
use throttle::IpThrottle;

/// Everything the domain code needs, shared by the server and the CLI.
pub struct Services {
    pub config: Config,
    pub store: Store,
    /// The one lockout of every secret (SPEC §2.1, §5), with this instance's gates.
    pub lockout: lockout::Lockout,
    pub hasher: Hasher,
    pub throttle: IpThrottle,
    pub clock: Clock,
    /// Keys the audit chain (`PORTAL_SECRET_KEY`).
    pub audit: audit::Chain,
    /// Seals message bodies in the outbox (`PORTAL_SECRET_KEY`).
    pub bodies: sealed::Sealer,
    /// Seals authenticator secrets, staff's and patients' (`PORTAL_SECRET_KEY`).
    pub authenticators: sealed::Sealer,
    /// The passkeys' relying party (`PORTAL_PUBLIC_URL`); `None` if that URL can't be one.
    pub webauthn: Option<webauthn_rs::Webauthn>,
    /// Keys the HMACs of patients' backup codes and two-step setup codes
    /// (`PORTAL_SECRET_KEY`; the old keys still check codes they made).
    pub two_step_keys: secret_key::MacKeys,
    /// Makes, checks and reads out invitations' access codes (`PORTAL_SECRET_KEY`).
    pub access_codes: enrollment::access_codes::AccessCodes,
    /// Signs the notices a form posted without JavaScript leaves for the next
    /// page (`notice.rs`); shared by every instance through the database.
    pub notice_key: String,
}

/// How many sign-ins may wait for a free core before the server answers 503.
const HASH_QUEUE_PER_CORE: usize = 32;

impl Services {
    /// Connects to the database and runs the migrations (fail fast).
    pub async fn start(config: Config) -> anyhow::Result<Arc<Services>> {
        let refusals = config.production_refusals();
        if !refusals.is_empty() {
            anyhow::bail!("production mode (PORTAL_MODE=production) refuses this configuration:\n  - {}", refusals.join("\n  - "));
        }
        let ring = config.key_ring()?;
        metrics::install();
        let store = Store::connect(&config.database_url).await?;
        store.migrate().await?;
        let clashes = lookalike::backfill(&store).await?;
        if clashes > 0 {
            tracing::warn!(accounts = clashes, "accounts registered before look-alike keys keep none: each looks like another account's username, or no longer parses");
        }
        let workers = Hasher::workers();
        let hasher = Hasher::new(config.hash_params(), workers, workers * HASH_QUEUE_PER_CORE)?;
        let clock = Clock::system();
        let throttle = IpThrottle::shared(config.ip_limit, store.clone(), clock.clone());
        let fresh = hex::encode(rand::random::<[u8; 32]>());
        let notice_key = store::keys::get_or_make(&store, "form_notice", &fresh).await?;
        let audit = audit::Chain::with_ring(store.dialect, &ring);
        let bodies = sealed::Sealer::with_ring(&ring, secret_key::Purpose::OutboxBodies);
        let authenticators = sealed::Sealer::with_ring(&ring, secret_key::Purpose::StaffAuthenticators);
        let two_step_keys = ring.macs(secret_key::Purpose::TwoStepCodes);
        let access_codes = enrollment::access_codes::AccessCodes::with_ring(&ring);
        let webauthn = match passkeys::relying_party(&config) {
            Ok(w) => Some(w),
            Err(e) => {
                tracing::warn!(error = %e, "passkeys are off: PORTAL_PUBLIC_URL can't be a WebAuthn relying party");
                None
            }
        };
        let resealed = outbox::seal_old_bodies(&store, &bodies).await?;
        if resealed > 0 {
            tracing::info!(messages = resealed, "outbox: sealed or erased bodies kept in plain text by an older version");
        }
        let lockout = lockout::Lockout::new(store.clone());
        Ok(Arc::new(Services { config, store, lockout, hasher, throttle, clock, audit, bodies, authenticators, webauthn, two_step_keys, access_codes, notice_key }))
    }
}
