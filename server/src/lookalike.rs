//! Look-alike usernames. Two usernames that differ only by a character from
//! another script that shows the same ("аlice" with a Cyrillic а, "ａｌｉｃｅ"
//! full-width) would look like one person to staff and in emails. Each
//! account stores a key in which every non-ASCII character is replaced by its
//! Unicode TR39 prototype (the character it is confusable with); the key is
//! unique, so no two accounts can show the same. ASCII stays as typed: "l"
//! and "1" are different keys, so ordinary email addresses never clash.

use app::username::Username;
use crate::store::accounts;

use crate::store::Store;

/// The look-alike key of a username.
pub fn key(username: &Username) -> String {
    let mut key = String::with_capacity(username.as_str().len());
    let mut buf = [0u8; 4];
    for c in username.as_str().chars() {
        if c.is_ascii() {
            key.push(c);
        } else {
            key.extend(unicode_security::skeleton(c.encode_utf8(&mut buf)).flat_map(char::to_lowercase));
        }
    }
    key
}

/// Gives every account made before keys existed its key (at each start; a
/// one-time pass per account). An account whose key another account already
/// holds keeps none: both were registered before the rule and stay as they
/// are. Returns how many are left without a key.
pub async fn backfill(store: &Store) -> anyhow::Result<usize> {
    let rows = accounts::usernames_without_key(store).await?;
    let mut clashes = 0;
    for (id, name) in rows {
        // Stored names were parsed on the way in; one that no longer parses keeps no key.
        let Ok(username) = Username::parse(&name) else {
            clashes += 1;
            continue;
        };
        if !accounts::set_username_key(store, id, &key(&username)).await? {
            clashes += 1;
        }
    }
    Ok(clashes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(raw: &str) -> String {
        key(&Username::parse(raw).unwrap())
    }

    #[test]
    fn other_scripts_that_show_the_same_share_the_key() {
        assert_eq!(k("аlice@example.com"), "alice@example.com", "Cyrillic а");
        assert_eq!(k("аlісе@ехаmple.com"), "alice@example.com", "mostly Cyrillic");
        assert_eq!(k("ＡＬＩＣＥ@example.com"), "alice@example.com", "full-width");
        assert_eq!(k("αlice@example.com"), "alice@example.com", "Greek alpha");
        assert_eq!(k("jose\u{301}"), k("josé"), "decomposed and composed accents");
    }

    #[test]
    fn ascii_and_distinct_letters_keep_their_own_key() {
        assert_eq!(k("John1@Example.com"), "john1@example.com");
        assert_ne!(k("john1@example.com"), k("johnl@example.com"), "ASCII stays as typed");
        assert_ne!(k("josé"), k("jose"), "an accent is not a look-alike");
        assert_ne!(k("müller"), k("muller"));
    }

    /// The username parser (app/src/username.rs, shared with the browser)
    /// keeps its own list of invisible characters; every character TR39's
    /// skeleton drops as default-ignorable must be on it.
    #[test]
    fn the_parser_refuses_every_character_the_skeleton_drops() {
        let mut buf = [0u8; 4];
        let dropped: Vec<char> = ('\u{80}'..=char::MAX).filter(|c| unicode_security::skeleton(c.encode_utf8(&mut buf)).next().is_none()).collect();
        assert!(dropped.len() > 1000, "{}", dropped.len());
        let accepted: Vec<String> = dropped.iter().filter(|c| Username::parse(&format!("a{c}b")).is_ok()).map(|c| format!("U+{:04X}", *c as u32)).collect();
        assert!(accepted.is_empty(), "{accepted:?}");
    }
}
