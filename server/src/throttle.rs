//! Per-IP throttling of the sign-in, reset, code and registration endpoints
//! (SPEC §5): `PORTAL_IP_LIMIT` attempts a minute per IP for each endpoint; 0
//! turns it off. The count that decides lives in the database every instance
//! shares (a row per endpoint, address and minute), so several instances
//! allow what one does; `governor`'s keyed GCRA limiter in front refuses a
//! flood from one address without a database write (each attempt it lets
//! through is counted in the database too, so it never refuses sooner).

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    SignIn,
    Reset,
    Register,
}

impl Endpoint {
    fn as_str(self) -> &'static str {
        match self {
            Endpoint::SignIn => "sign_in",
            Endpoint::Reset => "reset",
            Endpoint::Register => "register",
        }
    }
}

pub struct IpThrottle {
    limiter: Option<DefaultKeyedRateLimiter<(Endpoint, IpAddr)>>,
    limit: u32,
    /// The shared count; `None` keeps it to this instance (unit tests).
    shared: Option<(crate::store::Store, crate::clock::Clock)>,
}

impl IpThrottle {
    /// This instance's limiter alone.
    pub fn per_minute(limit: u32) -> IpThrottle {
        IpThrottle { limiter: NonZeroU32::new(limit).map(|n| RateLimiter::keyed(Quota::per_minute(n))), limit, shared: None }
    }

    /// The limiter, and the count shared through `store`.
    pub fn shared(limit: u32, store: crate::store::Store, clock: crate::clock::Clock) -> IpThrottle {
        IpThrottle { shared: Some((store, clock)), ..IpThrottle::per_minute(limit) }
    }

    /// Whether the attempt is within the minute's shared count (and counts it).
    /// A database that can't answer lets it through: the request's own work
    /// will fail on it anyway, and refusing would lock everyone out.
    async fn shared_allows(&self, endpoint: Endpoint, ip: Option<IpAddr>) -> bool {
        let Some((store, clock)) = &self.shared else { return true };
        let bucket = ip.map(bucket_of).map(|ip| ip.to_string()).unwrap_or_default();
        let minute = clock.now().div_euclid(60);
        match crate::store::throttle::count(store, endpoint.as_str(), &bucket, minute).await {
            Ok(n) => n <= i64::from(self.limit),
            Err(e) => {
                tracing::warn!(error = %e, "throttle: counting in the database failed");
                true
            }
        }
    }

    /// Forgets minutes that no longer count (the sweeper, each minute).
    pub async fn forget_old(&self) {
        if let Some((store, clock)) = &self.shared {
            if let Err(e) = crate::store::throttle::forget_before(store, clock.now().div_euclid(60) - 1).await {
                tracing::warn!(error = %e, "throttle: forgetting old minutes failed");
            }
        }
    }

    /// True when this attempt is allowed. Requests without a known address
    /// (never the case behind axum's `ConnectInfo`) share one bucket.
    pub fn allow(&self, endpoint: Endpoint, ip: Option<IpAddr>) -> bool {
        let Some(limiter) = &self.limiter else { return true };
        let ip = ip.map(bucket_of).unwrap_or(IpAddr::from([0, 0, 0, 0]));
        limiter.check_key(&(endpoint, ip)).is_ok()
    }

    /// This instance's limiter, then the shared count, as the error the caller hands on.
    pub async fn check(&self, endpoint: Endpoint, ip: Option<IpAddr>) -> Result<(), app::error::PortalError> {
        if self.limiter.is_none() || (self.allow(endpoint, ip) && self.shared_allows(endpoint, ip).await) {
            Ok(())
        } else {
            Err(app::error::PortalError::TooManyAttempts)
        }
    }

    /// Forgets addresses whose buckets have refilled, bounding memory.
    pub fn forget_idle(&self) {
        if let Some(limiter) = &self.limiter {
            limiter.retain_recent();
        }
    }
}

/// The bucket an address counts in: itself for IPv4; its /64 for IPv6, the
/// block one subscriber is given, so that one client can't rotate addresses
/// within it to get a fresh budget each time.
pub fn bucket_of(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(std::net::Ipv6Addr::from(u128::from(v6) & !((1u128 << 64) - 1))),
        },
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_addresses_share_their_64() {
        let t = IpThrottle::per_minute(2);
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert!(t.allow(Endpoint::SignIn, Some(a)));
        assert!(t.allow(Endpoint::SignIn, Some(b)));
        assert!(!t.allow(Endpoint::SignIn, Some(a)), "the third try from one /64");
        assert!(t.allow(Endpoint::SignIn, Some(other)));
        assert_eq!(bucket_of("::ffff:10.0.0.1".parse().unwrap()), "10.0.0.1".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn each_ip_gets_its_own_budget_per_endpoint() {
        let t = IpThrottle::per_minute(3);
        let a = Some(IpAddr::from([10, 0, 0, 1]));
        let b = Some(IpAddr::from([10, 0, 0, 2]));
        assert!((0..3).all(|_| t.allow(Endpoint::SignIn, a)));
        assert!(!t.allow(Endpoint::SignIn, a));
        assert!(t.allow(Endpoint::SignIn, b));
    }

    #[test]
    fn zero_turns_throttling_off() {
        let t = IpThrottle::per_minute(0);
        assert!((0..1000).all(|_| t.allow(Endpoint::SignIn, None)));
    }
}
