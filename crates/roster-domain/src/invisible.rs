//! Characters a person cannot see: control characters (Unicode `Cc`), format characters (`Cf`:
//! zero-width spaces, bidirectional overrides such as U+202E, tag characters) and the line and
//! paragraph separators. In a name or an email address they hide what is really there
//! (`acme\u{202E}moc.evil` reads as something else), so text fields refuse them.

/// Every `Cf` code point (Unicode 15.1), as inclusive ranges.
const FORMAT: &[(u32, u32)] = &[
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
];

const ZERO_WIDTH_NON_JOINER: char = '\u{200C}';
const ZERO_WIDTH_JOINER: char = '\u{200D}';

/// True for `Cc`, `Cf`, U+2028 and U+2029.
pub fn is_invisible(c: char) -> bool {
    let code = u32::from(c);
    c.is_control()
        || c == '\u{2028}'
        || c == '\u{2029}'
        || FORMAT
            .iter()
            .any(|&(first, last)| (first..=last).contains(&code))
}

/// The first invisible character of a name-like text, if any.
///
/// The two joiners are the exception: between two visible characters they are part of the
/// writing (ZWNJ in Persian words, ZWJ in emoji sequences such as 👩‍💻), so they pass there and
/// nowhere else. `allowed` lists further characters to let through (`\n` in a description).
pub fn find_invisible(text: &str, allowed: &[char]) -> Option<char> {
    let chars: Vec<char> = text.chars().collect();
    let visible = |at: Option<&char>| at.is_some_and(|&c| !is_invisible(c) && !c.is_whitespace());
    chars.iter().enumerate().find_map(|(i, &c)| {
        if !is_invisible(c) || allowed.contains(&c) {
            return None;
        }
        let joins = (c == ZERO_WIDTH_JOINER || c == ZERO_WIDTH_NON_JOINER)
            && i > 0
            && visible(chars.get(i - 1))
            && visible(chars.get(i + 1));
        (!joins).then_some(c)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_bidi_overrides_zero_widths_and_controls() {
        for text in [
            "acme\u{202E}moc",
            "a\u{200B}b",
            "\u{FEFF}acme",
            "tab\u{7}bell",
            "tag\u{E0041}",
            "line\u{2028}break",
        ] {
            assert!(find_invisible(text, &[]).is_some(), "{text:?}");
        }
    }

    #[test]
    fn joiners_pass_inside_words_and_emoji_only() {
        assert_eq!(find_invisible("می\u{200C}خواهم", &[]), None);
        assert_eq!(find_invisible("👩\u{200D}💻", &[]), None);
        assert!(find_invisible("\u{200D}acme", &[]).is_some());
        assert!(find_invisible("acme\u{200C}", &[]).is_some());
        assert!(find_invisible("a\u{200D}\u{200D}b", &[]).is_some());
    }

    #[test]
    fn allowed_characters_pass() {
        assert_eq!(find_invisible("two\nlines", &['\n']), None);
        assert!(find_invisible("two\nlines", &[]).is_some());
        assert_eq!(find_invisible("Zoë Ünal, 東京", &[]), None);
    }
}
