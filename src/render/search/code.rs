//! Lists of numbers as short text, for the index files: each number in groups of five bits,
//! most significant first, every group but the last from [`MORE`] and the last from [`LAST`]
//! (so numbers need no separator). Lists of events are written as gaps: the first number,
//! then each one's distance from the one before, less one. Decoded by `search.js`.

/// The last group of a number.
pub const LAST: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";
/// The groups before the last.
pub const MORE: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ()*+,-";

/// `numbers`, each written in full.
pub fn numbers(numbers: impl IntoIterator<Item = u32>) -> String {
    let mut out = String::new();
    for n in numbers {
        let mut shift = 30;
        while shift > 0 && n >> shift == 0 {
            shift -= 5;
        }
        while shift > 0 {
            out.push(MORE[((n >> shift) & 31) as usize] as char);
            shift -= 5;
        }
        out.push(LAST[(n & 31) as usize] as char);
    }
    out
}

/// Ascending, distinct numbers, as gaps.
pub fn ids(ids: &[u32]) -> String {
    let mut previous: Option<u32> = None;
    numbers(ids.iter().map(|&id| {
        let gap = match previous {
            Some(p) => id - p - 1,
            None => id,
        };
        previous = Some(id);
        gap
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(text: &str) -> Vec<u32> {
        let mut out = Vec::new();
        let mut n = 0u32;
        for b in text.bytes() {
            if let Some(v) = MORE.iter().position(|m| *m == b) {
                n = (n << 5) | v as u32;
            } else {
                let v = LAST.iter().position(|m| *m == b).unwrap();
                out.push((n << 5) | v as u32);
                n = 0;
            }
        }
        out
    }

    #[test]
    fn numbers_read_back() {
        let values = [0, 1, 31, 32, 1023, 1024, 50_000, u32::MAX];
        assert_eq!(decode(&numbers(values)), values);
        assert_eq!(numbers([0, 31, 32]), "0vB0");
        assert_eq!(ids(&[3, 4, 10]), "305");
    }
}
