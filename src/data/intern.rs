//! Names → small ids, for the unit and period of every row.
//!
//! A million-row file looks up a unit and a period a million times each, so
//! this avoids the two costs that dominated: the standard library's SipHash
//! (built to resist hash flooding, which a user's own data file does not
//! attempt) and allocating a `String` to look a name up. Files are usually
//! sorted, so the name of the row before, and the name that first came
//! after it, are tried before the hash map.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Builds [`FxHasher`]s, for hash maps keyed by the reader's own data.
pub(super) type FxBuild = BuildHasherDefault<FxHasher>;

/// Interns names in order of first appearance.
#[derive(Debug, Default)]
pub(super) struct Interner {
    ids: HashMap<Box<str>, u32, FxBuild>,
    /// Names by id.
    pub(super) names: Vec<String>,
    last: Option<u32>,
}

impl Interner {
    /// The id of `name`, adding it when new.
    #[inline]
    pub(super) fn id(&mut self, name: &str) -> u32 {
        // The name of the row before, or the name that first came after it:
        // in a file sorted by unit then period, the unit repeats and the
        // periods come round in the same order each time; sorted by period
        // then unit, the period repeats and the units come round in order.
        if let Some(last) = self.last {
            for guess in [last, last + 1] {
                if self
                    .names
                    .get(guess as usize)
                    .is_some_and(|known| known == name)
                {
                    self.last = Some(guess);
                    return guess;
                }
            }
        }
        let id = match self.ids.get(name) {
            Some(&id) => id,
            None => {
                let id = self.names.len() as u32;
                self.names.push(name.to_string());
                self.ids.insert(name.into(), id);
                id
            }
        };
        self.last = Some(id);
        id
    }
}

pub(super) use crate::names::{is_invisible, normalize, normalize_label};

/// A period label as compared; see [`normalize_label`].
pub(super) fn normalize_period(label: &str) -> Cow<'_, str> {
    normalize_label(label)
}

/// What [`Interner::normalize`] did: each old id's new id, and the names
/// spelt more than one way, as (first spelling, other spelling).
pub(super) type Merged = (Vec<u32>, Vec<(String, String)>);

impl Interner {
    /// Merges names that are the same once `normalize`d, renaming each to its
    /// normal form. Returns, when anything changed, each old id's new id and
    /// the names that were spelt more than one way (each pair once).
    pub(super) fn normalize(&mut self, normalize: impl Fn(&str) -> Cow<'_, str>) -> Option<Merged> {
        if self
            .names
            .iter()
            .all(|name| matches!(normalize(name), Cow::Borrowed(n) if n == name))
        {
            return None;
        }
        let mut new_ids: HashMap<String, u32> = HashMap::new();
        let mut names: Vec<String> = Vec::new();
        let mut first_spelling: Vec<String> = Vec::new();
        let mut merged = Vec::new();
        let mut remap = Vec::with_capacity(self.names.len());
        for name in &self.names {
            let normal = normalize(name).into_owned();
            let id = match new_ids.get(&normal) {
                Some(&id) => {
                    merged.push((first_spelling[id as usize].clone(), name.clone()));
                    id
                }
                None => {
                    let id = names.len() as u32;
                    new_ids.insert(normal.clone(), id);
                    names.push(normal);
                    first_spelling.push(name.clone());
                    id
                }
            };
            remap.push(id);
        }
        self.ids = names
            .iter()
            .enumerate()
            .map(|(id, name)| (name.as_str().into(), id as u32))
            .collect();
        self.names = names;
        self.last = None;
        Some((remap, merged))
    }
}

/// How each name was spelt, for a reader that interns names already
/// normalised (the long form, where a unit's cells come on many lines):
/// the names spelt more than one way, as [`Interner::normalize`] gives them.
#[derive(Debug, Default)]
pub(super) struct Spellings {
    /// By id: how the name was first spelt, when not as its normal form.
    first: Vec<Option<Box<str>>>,
    /// Each other spelling once, as (first spelling, other spelling).
    pairs: Vec<(String, String)>,
    seen: HashMap<(u32, Box<str>), (), FxBuild>,
}

impl Spellings {
    /// Notes that the name with id `id`, whose normal form is `normal`, was
    /// spelt `spelt` here. Ids come in order of first appearance.
    #[inline]
    pub(super) fn note(&mut self, id: u32, spelt: &str, normal: &str) {
        let index = id as usize;
        if index == self.first.len() {
            self.first.push((spelt != normal).then(|| spelt.into()));
            return;
        }
        let first = self.first[index].as_deref().unwrap_or(normal);
        if first == spelt {
            return;
        }
        if self.seen.insert((id, spelt.into()), ()).is_none() {
            self.pairs.push((first.to_string(), spelt.to_string()));
        }
    }

    /// The names spelt more than one way.
    pub(super) fn pairs(self) -> Vec<(String, String)> {
        self.pairs
    }
}

/// The "Fx" hash of rustc and Firefox: a rotate, xor and multiply per 8
/// bytes. Fast on short keys such as district names; not flood-resistant.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    #[inline]
    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    /// The state mixed once more (MurmurHash3's 64-bit finaliser): the
    /// hash table picks buckets by the low bits, and Fx leaves names that
    /// differ only in their last bytes (`53000001`, `53000002`, …) close
    /// together there, which made interning quadratic on such codes.
    #[inline]
    fn finish(&self) -> u64 {
        let mut h = self.hash;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_differing_in_their_last_digits_spread_over_the_low_bits() {
        // 4,096 eight-digit codes: with the bare Fx state most shared a few
        // low-bit buckets; mixed, they spread nearly evenly over 4,096.
        let buckets: std::collections::HashSet<u64> = (0..4096u32)
            .map(|i| {
                let mut hasher = FxHasher::default();
                hasher.write(format!("{}", 53_000_000 + i).as_bytes());
                hasher.finish() & 4095
            })
            .collect();
        assert!(buckets.len() > 2000, "{} buckets", buckets.len());
    }

    #[test]
    fn ids_follow_first_appearance() {
        let mut interner = Interner::default();
        let ids: Vec<u32> = ["b", "a", "b", "b", "c", "a"]
            .iter()
            .map(|name| interner.id(name))
            .collect();
        assert_eq!(ids, [0, 1, 0, 0, 2, 1]);
        assert_eq!(interner.names, ["b", "a", "c"]);
    }

    #[test]
    fn names_that_come_round_in_order() {
        let mut interner = Interner::default();
        let names = ["x", "y", "z"];
        let ids: Vec<u32> = names
            .iter()
            .cycle()
            .take(9)
            .map(|name| interner.id(name))
            .collect();
        assert_eq!(ids, [0, 1, 2, 0, 1, 2, 0, 1, 2]);
        assert_eq!(interner.id("w"), 3);
        assert_eq!(interner.id("y"), 1);
    }

    #[test]
    fn nfc_nfd_and_zero_width_spellings_are_one_name() {
        assert_eq!(normalize("Zu\u{308}rich"), "Zürich");
        assert_eq!(normalize("五\u{200B}华区\u{FEFF}"), "五华区");
        assert_eq!(normalize("五华区\u{2060}"), "五华区");
        assert!(matches!(normalize("五华区"), Cow::Borrowed(_)));
        assert!(matches!(normalize("plain"), Cow::Borrowed(_)));
        assert_eq!(normalize_period("　２０１９ "), "2019");
        assert_eq!(normalize("a\u{1}b"), "a\u{1}b");

        let mut interner = Interner::default();
        for name in ["Zürich", "A", "Zu\u{308}rich", "A\u{200D}"] {
            interner.id(name);
        }
        let (remap, merged) = interner.normalize(normalize).unwrap();
        assert_eq!(remap, [0, 1, 0, 1]);
        assert_eq!(interner.names, ["Zürich", "A"]);
        assert_eq!(merged.len(), 2);
        assert_eq!(interner.id("A"), 1);

        let mut ascii = Interner::default();
        ascii.id("x");
        assert!(ascii.normalize(normalize).is_none());
    }

    /// Every invisible character a pasted name can carry, and full-width
    /// letters and digits, fold away; visible differences stay.
    #[test]
    fn look_alike_names_are_one_name() {
        let invisible = [
            '\u{00AD}', '\u{034F}', '\u{180E}', '\u{200B}', '\u{200C}', '\u{200D}', '\u{200E}',
            '\u{200F}', '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2060}',
            '\u{2061}', '\u{2062}', '\u{2063}', '\u{2064}', '\u{2066}', '\u{2067}', '\u{2068}',
            '\u{2069}', '\u{FE00}', '\u{FE0F}', '\u{FEFF}',
        ];
        for c in invisible {
            assert_eq!(normalize(&format!("五华{c}区")), "五华区", "{:?}", c);
            assert_eq!(normalize(&format!("{c}k{c}m")), "km", "{:?}", c);
            assert!(is_invisible(c));
        }
        assert_eq!(normalize("ｋｍ２"), "km2");
        assert_eq!(normalize("Ｚｕ\u{308}rich"), "Zürich");
        // Visible full-width punctuation is part of a Chinese name.
        assert_eq!(normalize("五华区（新）"), "五华区（新）");
        for visible in ['-', ' ', '\u{3000}', 'é', '\u{2010}'] {
            assert!(!is_invisible(visible));
        }
        assert!(matches!(normalize("plain ascii"), Cow::Borrowed(_)));

        let mut interner = Interner::default();
        for name in ["k1", "ｋ1", "k\u{00AD}1", "k\u{202E}1", "j1"] {
            interner.id(name);
        }
        let (remap, merged) = interner.normalize(normalize).unwrap();
        assert_eq!(remap, [0, 0, 0, 0, 1]);
        assert_eq!(interner.names, ["k1", "j1"]);
        assert_eq!(merged.len(), 3);
    }

    /// The long form's record of spellings gives what the wide form's merge gives.
    #[test]
    fn spellings_are_the_pairs_the_merge_finds() {
        let names = [
            "Zu\u{308}rich",
            "A",
            "Zürich",
            "A\u{200D}",
            "A",
            "Zürich",
            "A\u{200B}",
        ];
        let mut merged = Interner::default();
        for name in names {
            merged.id(name);
        }
        let (_, expected) = merged.normalize(normalize).unwrap();

        let mut interner = Interner::default();
        let mut spellings = Spellings::default();
        for name in names {
            let normal = normalize(name);
            let id = interner.id(&normal);
            spellings.note(id, name, &normal);
        }
        assert_eq!(spellings.pairs(), expected);
        assert_eq!(expected.len(), 3);
    }

    #[test]
    fn names_that_share_a_prefix_stay_apart() {
        let mut interner = Interner::default();
        assert_ne!(interner.id("单位00000001"), interner.id("单位00000001x"));
        assert_ne!(interner.id("a\0"), interner.id("a"));
    }
}
