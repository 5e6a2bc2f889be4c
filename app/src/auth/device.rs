//! The sign-in device cookie (OWASP, "Slow down online guessing attacks
//! with device cookies"): after a successful sign-in the browser gets a
//! cookie naming the account and a random device id, signed with the
//! server's key. Its later attempts on that account count only against
//! that device, so others' guessing never locks the account's owner out of
//! a browser they used before (`rate_limit::keys`).

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// A year: the device stays known as long as it is used now and then.
pub const MAX_AGE_SECS: u64 = 365 * 24 * 3600;

pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-sprida_device"
    } else {
        "sprida_device"
    }
}

fn signature(secret: &[u8], account: &str, device: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(b"sign-in-device\0");
    mac.update(account.trim().to_lowercase().as_bytes());
    mac.update(b"\0");
    mac.update(device.as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..16])
}

/// The cookie's value for `account` on a new device `device` (random hex).
pub fn value(secret: &[u8], account: &str, device: &str) -> String {
    format!("{device}.{}", signature(secret, account, device))
}

/// The device id in `cookie`, when it was signed by this server for
/// `account` (a cookie of another account, or a forged one, is no device).
pub fn device_for<'a>(secret: &[u8], account: &str, cookie: &'a str) -> Option<&'a str> {
    let (device, sig) = cookie.split_once('.')?;
    if device.len() != 64 || !device.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(b"sign-in-device\0");
    mac.update(account.trim().to_lowercase().as_bytes());
    mac.update(b"\0");
    mac.update(device.as_bytes());
    let sig = hex::decode(sig).ok()?;
    // Constant time: the comparison must not tell how much of it was right.
    mac.verify_truncated_left(&sig).ok()?;
    (sig.len() == 16).then_some(device)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";
    const DEVICE: &str = "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12";

    #[test]
    fn a_device_cookie_is_good_only_for_its_account_and_key() {
        let cookie = value(KEY, "Ann@x.se", DEVICE);
        assert_eq!(device_for(KEY, "ann@x.se", &cookie), Some(DEVICE));
        assert_eq!(device_for(KEY, "bo@x.se", &cookie), None, "another account");
        assert_eq!(
            device_for(b"another key of some length at all", "ann@x.se", &cookie),
            None
        );
        let forged = format!("{DEVICE}.{}", "0".repeat(32));
        assert_eq!(device_for(KEY, "ann@x.se", &forged), None);
        assert_eq!(
            device_for(KEY, "ann@x.se", &cookie[..cookie.len() - 2]),
            None,
            "cut short"
        );
        assert_eq!(device_for(KEY, "ann@x.se", "garbage"), None);
    }
}
