use super::*;

#[test]
fn every_key_has_a_spanish_text_of_its_own() {
    // Both files hold every key (else this crate doesn't build); a Spanish
    // text copied from English, or left empty, is caught here.
    for (key, en, es) in t::ALL {
        assert!(!en.trim().is_empty() && !es.trim().is_empty(), "{key} is empty");
        assert_ne!(en, es, "{key} is not translated");
    }
}

#[test]
fn texts_hold_no_unfilled_placeholders() {
    for (key, en, es) in t::ALL {
        assert!(!en.contains('{') && !es.contains('{'), "{key} has a placeholder: use formats!");
    }
}

#[test]
fn tags_parse_by_their_primary_subtag() {
    assert_eq!(Lang::parse("es"), Some(Lang::Es));
    assert_eq!(Lang::parse("es-MX"), Some(Lang::Es));
    assert_eq!(Lang::parse("EN_us"), Some(Lang::En));
    assert_eq!(Lang::parse("fr"), None);
    assert_eq!(Lang::parse(""), None);
    assert_eq!(Lang::parse("esperanto"), None);
}

#[test]
fn accept_language_picks_the_first_of_ours_by_weight() {
    assert_eq!(Lang::from_accept_language("es-US,es;q=0.9,en;q=0.8"), Some(Lang::Es));
    assert_eq!(Lang::from_accept_language("fr-FR, en;q=0.5, es;q=0.7"), Some(Lang::Es));
    assert_eq!(Lang::from_accept_language("de, en-GB;q=0.3"), Some(Lang::En));
    assert_eq!(Lang::from_accept_language("es;q=0, en;q=0.1"), Some(Lang::En));
    assert_eq!(Lang::from_accept_language("fr, de"), None);
    assert_eq!(Lang::from_accept_language(";;q=x,,"), None);
}

#[test]
fn stored_text_takes_only_our_exact_tags() {
    assert_eq!(Lang::try_from("es".to_string()), Ok(Lang::Es));
    assert!(Lang::try_from("es-MX".to_string()).is_err());
    assert!(Lang::try_from("ES".to_string()).is_err());
    assert!(Lang::try_from("fr".to_string()).is_err());
    assert_eq!(String::from(Lang::Es), "es");
}

#[test]
fn counts_read_right_in_each_language() {
    assert!(t::locked(Lang::Es, 15).contains("15 minutos"));
    assert!(t::locked(Lang::En, 15).contains("15 minutes"));
}

#[test]
fn every_security_question_reads_in_both_languages() {
    for (i, q) in crate::register::SECURITY_QUESTIONS.iter().enumerate() {
        assert_eq!(crate::register::question_in(Lang::En, q), *q);
        let es = crate::register::question_in(Lang::Es, q);
        assert!(es.starts_with('¿') && es.ends_with('?'), "question {i} has no Spanish text: {es:?}");
    }
    assert_eq!(crate::register::question_in(Lang::Es, "Not one of ours?"), "Not one of ours?");
}

#[test]
fn tries_left_is_singular_for_one_in_both_languages() {
    assert_eq!(t::tries_left(Lang::En, 1), "You have 1 try left.");
    assert_eq!(t::tries_left(Lang::En, 3), "You have 3 tries left.");
    assert_eq!(t::tries_left(Lang::Es, 1), "Le queda 1 intento.");
    assert_eq!(t::tries_left(Lang::Es, 3), "Le quedan 3 intentos.");
}
