//! How place names are compared. Contributors write "Shahr-e Kord", "shahrekord", "شهرکرد" or
//! "شهر کرد"; all must find the same city. Matching keys fold case, diacritics, punctuation,
//! Arabic letter forms, Persian digits and zero-width joiners. Spelling keys
//! ([`spelling_key`]) also fold the ways English-language reports romanise Persian
//! (Shahroud/Shahrud, Ghaemshahr/Qaem Shahr, Eslamabad Gharb/Eslamabad-e Gharb); a name found
//! only through them is reported with the spelling to write. The looser "skeleton" is used only
//! to suggest.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The exact-match key of a name, in Latin or Persian script.
pub fn match_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for c in name.nfkd() {
        if is_combining_mark(c) || is_arabic_diacritic(c) {
            continue;
        }
        let c = match c {
            'ي' | 'ى' => 'ی',
            'ك' => 'ک',
            'ة' => 'ه',
            'أ' | 'إ' | 'ٱ' => 'ا',
            // Persian and Arabic-Indic digits: «منطقه ۱۰» is «منطقه 10».
            '۰'..='۹' => char::from(b'0' + (c as u32 - 0x6F0) as u8),
            '٠'..='٩' => char::from(b'0' + (c as u32 - 0x660) as u8),
            other => other,
        };
        if c.is_alphanumeric() {
            key.extend(c.to_lowercase());
        }
    }
    key
}

fn is_arabic_diacritic(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}')
}

/// Words that only qualify a name in a report: "Sanandaj city", "Qeshm Island".
const QUALIFIERS: &[&str] = &["city", "town", "island"];
/// Ezafe written as a word of its own: "Eslamabad-e Gharb", "Astaneh-ye Ashrafiyeh".
const EZAFE: &[&str] = &["e", "ye", "i"];
/// First words a name is also written without: "Bandar-e Anzali" is "Anzali" too.
const LATIN_PREFIXES: &[&str] = &["bandar", "shahr", "shahrak", "kuy", "mahalleh", "mahalle"];
/// The same in Persian: بندر انزلی، شهر جدید پرند، شهرستان بوکان، محله فرحزاد.
const PERSIAN_PREFIXES: &[&str] = &["بندر", "شهرستان", "محله", "شهرک", "کوی", "شهر"];

/// The spelling key of a name as a report writes it: what [`spelling_keys`] gives for the whole
/// name. Two names with one key may be one place spelt two ways; the gazetteer uses the key
/// only when it points at a single place.
pub fn spelling_key(name: &str) -> String {
    spelling_keys(name, false)
        .into_iter()
        .next()
        .map(|(key, _)| key)
        .unwrap_or_default()
}

/// The spelling keys of a name: the whole name first, then, with `short_forms`, the name
/// without a generic first word (`Bandar-e`, `Shahr-e`, `Shahrak-e`, `Kuy-e`, `Mahalleh-ye`;
/// بندر، شهر، شهر جدید، شهرستان، شهرک، کوی، محله) or without a last `Gharb` (غرب), marked `true`.
///
/// Latin names (every rule applies to each name compared, so only what two spellings share
/// matters):
/// - case, diacritics and apostrophes are dropped; words are joined (`Qa'em Shahr` = `Qaemshahr`);
/// - ezafe words go (`Eslamabad-e Gharb` = `Eslamabad Gharb`), and so do a leading `Al-` and a
///   trailing `city`, `town` or `island`; `Shahre`/`Shahreh` is `Shahr` (`Shahreh Qods`); a
///   word's final `-eh` is `-e` (`Baneh` = `Bane`);
/// - `gh` = `q`, `khv` = `kh`, `zh` = `j`, `w` = `v` (`Ghazvin`, `Khvaf`, `Shahin Dej`, `Ahwaz`);
/// - every vowel is one vowel (`ou`, `oo`, `u`, `o`; `ee`, `i`, `e`, `a`): `Shahroud` =
///   `Shahrud`, `Islamshahr` = `Eslamshahr`, `Rafsenjan` = `Rafsanjan`;
/// - `y` and `w` next to a vowel are part of it (`Neiriz` = `Neyriz`, `Oshnavieh` =
///   `Oshnaviyeh`, `Noshahr` = `Nowshahr`, `Kamiyaran` = `Kamyaran`);
/// - doubled letters are single (`Saqqez` = `Saqez`);
/// - Persian words never start with two consonants nor hold three in a row, so such a cluster
///   has a short vowel left unwritten (`Broujerd` = `Borujerd`, `Langrud` = `Langarud`).
///
/// Persian names keep [`match_key`]'s folding (Arabic letter forms, digits, ZWNJ and spaces);
/// only their short forms differ.
pub fn spelling_keys(name: &str, short_forms: bool) -> Vec<(String, bool)> {
    let persian = name.chars().any(is_arabic_script);
    let words = if persian {
        persian_words(name)
    } else {
        latin_words(name)
    };
    if words.is_empty() {
        return Vec::new();
    }
    let key = |words: &[String]| -> String {
        if persian {
            words.concat()
        } else {
            fold_romanisation(&words.concat())
        }
    };
    let mut keys = vec![(key(&words), false)];
    if !short_forms || words.len() < 2 {
        return keys;
    }
    let mut forms: Vec<&[String]> = Vec::new();
    if persian && words.len() > 2 && words[0] == "شهر" && words[1] == "جدید" {
        forms.push(&words[2..]);
    }
    let prefixes = if persian {
        PERSIAN_PREFIXES
    } else {
        LATIN_PREFIXES
    };
    if prefixes.contains(&words[0].as_str()) {
        forms.push(&words[1..]);
    }
    let west = if persian { "غرب" } else { "gharb" };
    if words[words.len() - 1] == west {
        forms.push(&words[..words.len() - 1]);
    }
    for form in forms {
        let short = key(form);
        if !keys.iter().any(|(k, _)| *k == short) {
            keys.push((short, true));
        }
    }
    keys
}

fn is_arabic_script(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// The words of a Persian name, each folded as [`match_key`] folds it.
fn persian_words(name: &str) -> Vec<String> {
    name.split(|c: char| c.is_whitespace() || matches!(c, '\u{200C}' | '-' | '،' | ','))
        .map(match_key)
        .filter(|w| !w.is_empty())
        .collect()
}

/// The words of a Latin name, lower case and without diacritics or apostrophes, with ezafe
/// words, a leading `al`, trailing qualifiers and a word's final `h` after `e` dropped.
fn latin_words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in name.nfkd() {
        if is_combining_mark(c) || matches!(c, '\'' | '’' | '‘' | '`' | '´' | 'ʻ' | 'ʼ' | 'ʾ' | 'ʿ')
        {
            continue;
        }
        let c = match c {
            // Azerbaijani and Turkish letters GeoNames uses (Təbriz, Sarıdaş).
            'ə' | 'Ə' => 'e',
            'ı' => 'i',
            other => other,
        };
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    if words.len() > 1 && words[0] == "al" {
        words.remove(0);
    }
    let mut first = true;
    words.retain(|w| std::mem::take(&mut first) || !EZAFE.contains(&w.as_str()));
    while words.len() > 1 && QUALIFIERS.contains(&words[words.len() - 1].as_str()) {
        words.pop();
    }
    for w in &mut words {
        if w == "shahre" || w == "shahreh" {
            w.truncate(5);
        } else if w.ends_with("eh") {
            w.pop();
        }
    }
    words
}

/// Latin letters as sounds: digraphs one symbol, every vowel `V`, glides in their vowel,
/// doubled symbols single, unwritten short vowels restored (see [`spelling_keys`]).
fn fold_romanisation(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut sounds = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let pair = (chars[i], chars.get(i + 1).copied().unwrap_or(' '));
        let (sound, len) = match pair {
            ('k', 'h') if chars.get(i + 2) == Some(&'v') => ('X', 3),
            ('k', 'h') => ('X', 2),
            ('s', 'h') => ('S', 2),
            ('c', 'h') => ('C', 2),
            ('z', 'h') => ('j', 2),
            ('g', 'h') => ('q', 2),
            (c, _) => (c, 1),
        };
        sounds.push(sound);
        i += len;
    }
    let vowel = |c: Option<&char>| matches!(c, Some('a' | 'e' | 'i' | 'o' | 'u'));
    let mut out: Vec<char> = Vec::with_capacity(sounds.len() + 4);
    for (i, &c) in sounds.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|p| sounds.get(p));
        let next = sounds.get(i + 1);
        let sound = if vowel(Some(&c)) {
            'V'
        } else if c == 'y' || c == 'w' {
            let glide = vowel(prev) || matches!(prev, Some('y' | 'w')) && out.last() == Some(&'V');
            if glide && (!vowel(next) || c == 'y') {
                // A diphthong (ey, ow) or a glide between vowels (-iyeh).
                'V'
            } else if c == 'y' && prev.is_some() && !glide && vowel(next) {
                // After a consonant, `y` is an `i` (Shahryar = Shahriar).
                'V'
            } else if c == 'w' {
                'v'
            } else {
                c
            }
        } else {
            c
        };
        if out.last() != Some(&sound) || sound.is_ascii_digit() {
            out.push(sound);
        }
    }
    // No initial cluster (a vowel after the first consonant), no three consonants in a row (a
    // vowel before the third).
    let consonant = |c: char| c != 'V' && !c.is_ascii_digit();
    let mut key = String::with_capacity(out.len() + 8);
    let mut run = 0;
    for (i, &c) in out.iter().enumerate() {
        if !consonant(c) {
            run = 0;
        } else if run == 2 || (i == 1 && run == 1) {
            key.push('V');
            run = 1;
        } else {
            run += 1;
        }
        key.push(c);
    }
    key
}

/// A looser key for "did you mean": spellings that differ only by a common transliteration
/// choice share a skeleton.
pub fn skeleton(name: &str) -> String {
    let key = match_key(name);
    if !key.is_ascii() {
        return key;
    }
    const VARIANTS: &[(&str, &str)] = &[
        ("gh", "q"),
        ("kh", "x"),
        ("ch", "c"),
        ("sh", "s"),
        ("zh", "j"),
        ("oo", "u"),
        ("ou", "u"),
        ("ee", "i"),
        ("ey", "i"),
        ("w", "v"),
        ("o", "u"),
        ("e", "a"),
        ("y", "i"),
    ];
    let mut s = key;
    for (from, to) in VARIANTS {
        s = s.replace(from, to);
    }
    // Doubled letters are a transliteration choice too (Assaluyeh/Asaluyeh).
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// A Latin slug for file names and ids: lower-case ASCII words joined by `-`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.nfkd().filter(|c| !is_combining_mark(*c)) {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') && !matches!(c, '\'' | '’' | '‘') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// Whether `s` is a slug: lower-case ASCII letters and digits in `-`-separated words.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Whether `s` is an event id: `YYYY-MM-DD-words`, a file stem that is also a safe path segment.
pub fn is_event_id(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() > 11
        && b[..10].iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
        && b[10] == b'-'
        && is_slug(&s[11..])
}

/// Whether `s` is a language code as site.toml and `translations` use them: `fa`, `en`,
/// `ckb`, `pt-br` (lower-case letters, an optional region).
pub fn is_language_code(s: &str) -> bool {
    let (language, region) = s.split_once('-').unwrap_or((s, ""));
    (2..=3).contains(&language.len())
        && language.bytes().all(|b| b.is_ascii_lowercase())
        && (region.is_empty() && !s.ends_with('-')
            || (2..=8).contains(&region.len())
                && region
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

/// The candidates closest to `input` by edit distance between skeletons, best first.
pub fn closest<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    limit: usize,
) -> Vec<&'a str> {
    let target = skeleton(input);
    let length = target.chars().count();
    let budget = (length / 3).clamp(1, 3);
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let candidate = skeleton(c);
            // The distance is at least the difference in length: a pasted paragraph is not
            // compared with every name, in time that grows with its length times theirs.
            if candidate.chars().count().abs_diff(length) > budget {
                return None;
            }
            let d = strsim::osa_distance(&target, &candidate);
            (d <= budget).then_some((d, c))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    // Only the nearest spellings: a hint with a far-fetched alternative misleads.
    let best = scored.first().map(|(d, _)| *d).unwrap_or(0);
    scored
        .into_iter()
        .take_while(|(d, _)| *d == best)
        .take(limit)
        .map(|(_, c)| c)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn match_keys_fold_spelling_differences_that_mean_the_same_name() {
        assert_eq!(match_key("Shahr-e Kord"), match_key("Shahrekord"));
        assert_eq!(match_key("Orūmīyeh"), "orumiyeh");
        assert_eq!(match_key("خرم‌آباد"), match_key("خرم آباد"));
        assert_eq!(match_key("كرمانشاه"), match_key("کرمانشاه"));
        assert_eq!(match_key("ملكشاهي"), match_key("ملکشاهی"));
        assert_eq!(match_key("منطقه ۱۰"), "منطقه10");
    }

    #[test]
    fn skeletons_join_transliteration_variants() {
        assert_eq!(skeleton("Ghezel Hesar"), skeleton("Qezel Hesar"));
        assert_eq!(skeleton("Firoozabad"), skeleton("Firuzabad"));
        assert_eq!(skeleton("Assaluyeh"), skeleton("Asaluyeh"));
        assert_ne!(skeleton("Tehran"), skeleton("Tabriz"));
    }

    /// Each rule of the spelling key, with a pair it joins and a pair it must keep apart.
    #[test]
    fn spelling_keys_join_romanisations_and_keep_towns_apart() {
        let same = |a: &str, b: &str| assert_eq!(spelling_key(a), spelling_key(b), "{a} = {b}");
        let apart = |a: &str, b: &str| assert_ne!(spelling_key(a), spelling_key(b), "{a} ≠ {b}");
        // Case, diacritics, apostrophes, spaces and hyphens.
        same("Qa'emshahr", "Qaem Shahr");
        apart("Kerman", "Kermanshah");
        // Ezafe words, and `Shahreh` for `Shahr-e`.
        same("Eslamabad Gharb", "Eslamabad-e Gharb");
        same("Astaneh Ashrafiyeh", "Astaneh-ye Ashrafiyeh");
        same("Shahreh Qods", "Shahr-e Qods");
        apart("Shahr-e Qods", "Qods");
        // A leading `Al-` and a trailing `city` or `island`.
        same("Al-Ahwaz", "Ahvaz");
        same("Sanandaj city", "Sanandaj");
        same("Kish Island", "Kish");
        apart("Tehran University", "Tehran");
        // A word's final -eh is -e.
        same("Bane", "Baneh");
        same("Mobarake", "Mobarakeh");
        apart("Baneh", "Ban");
        // gh = q, khv = kh, zh = j, w = v.
        same("Ghaemshahr", "Qaemshahr");
        same("Khaf", "Khvaf");
        same("Shahin Dej", "Shahin Dezh");
        same("Sabzewar", "Sabzevar");
        apart("Qom", "Kom");
        // Every vowel is one: ou, oo, u, o; ee, i, e, a; Is-/Es-.
        same("Shahroud", "Shahrud");
        same("Fooladshahr", "Fulad Shahr");
        same("Shaheen Shahr", "Shahin Shahr");
        same("Islamshahr", "Eslamshahr");
        same("Rafsenjan", "Rafsanjan");
        apart("Shahrud", "Shirud");
        apart("Abadan", "Abdanan");
        // y and w next to a vowel belong to it.
        same("Neiriz", "Neyriz");
        same("Oshnavieh", "Oshnaviyeh");
        same("Noshahr", "Nowshahr");
        same("Kamiyaran", "Kamyaran");
        same("Shahryar", "Shahriar");
        same("Qaimshahr", "Qaem Shahr");
        same("Ghayen", "Qaen");
        apart("Yazd", "Azd");
        // Doubled letters.
        same("Saqez", "Saqqez");
        same("Zarinshahr", "Zarrin Shahr");
        apart("Sari", "Sarab");
        // An unwritten short vowel: no initial cluster, no three consonants in a row.
        same("Broujerd", "Borujerd");
        same("Langrud", "Langarud");
        apart("Shiraz", "Shahreza");
        apart("Mahmudabad", "Mohammadabad");
        // Digits stay digits.
        apart("District 1", "District 11");
        // Persian: match_key's folding, digits included.
        same("منطقه 10", "منطقه ۱۰");
        same("خرم‌آباد", "خرم آباد");
        apart("کهک", "کهنک");
    }

    #[test]
    fn short_forms_drop_a_generic_first_word_or_a_last_gharb() {
        let keys = |name: &str| -> Vec<(String, bool)> { spelling_keys(name, true) };
        let short = |name: &str, form: &str| {
            assert!(
                keys(name).contains(&(spelling_key(form), true)),
                "{name} is also {form}: {:?}",
                keys(name)
            )
        };
        short("Bandar-e Anzali", "Anzali");
        short("Shahrak-e Qods", "Qods");
        short("Mahalleh-ye Farahzad", "Farahzad");
        short("Eslamabad-e Gharb", "Eslamabad");
        short("شهر جدید پرند", "پرند");
        short("بندر ماهشهر", "ماهشهر");
        short("اسلام‌آباد غرب", "اسلام‌آباد");
        // A name of one word keeps it: `Shahrekord` is not `Kord`.
        assert_eq!(keys("Shahrekord").len(), 1);
        assert_eq!(
            keys("Gilan-e Gharb")[0],
            (spelling_key("Gilangharb"), false)
        );
        assert!(spelling_keys("Bandar-e Anzali", false).len() == 1);
    }

    #[test]
    fn slugs_are_lower_case_ascii_words() {
        assert_eq!(
            slugify("Security forces open fire in Malekshahi!"),
            "security-forces-open-fire-in-malekshahi"
        );
        assert_eq!(slugify("Kian’s funeral"), "kians-funeral");
        assert_eq!(slugify("تهران"), "");
        assert!(is_slug("live-fire"));
        assert!(!is_slug("Live fire"));
        assert!(!is_slug("live--fire"));
    }

    #[test]
    fn ids_and_language_codes_are_safe_path_segments() {
        assert!(is_event_id("2026-01-03-malekshahi-live-fire"));
        for bad in [
            "..",
            "../map",
            "../../../../tmp/x",
            "2026-01-03",
            "2026-01-03-",
            "2026-01-03-a/b",
            "2026-1-03-x",
        ] {
            assert!(!is_event_id(bad), "{bad}");
        }
        for good in ["fa", "en", "ckb", "pt-br"] {
            assert!(is_language_code(good), "{good}");
        }
        for bad in ["../../x", "", "f", "EN", "fa-", "fa/x", "persian"] {
            assert!(!is_language_code(bad), "{bad}");
        }
    }
}
