//! What the render stage hands to the write stage: files of the site, by path. Shared by both,
//! so neither depends on the other.

/// One output file, relative to the output root with `/` separators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Where the offline copy of the site is, in the site itself.
pub const OFFLINE_ZIP: &str = "downloads/ruzshomar-offline.zip";
