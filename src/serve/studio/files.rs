//! The bot's files as the studio sees them: paths relative to the bot
//! folder, confined to it (no `..`, no hidden names, no symbolic link that
//! leads out, only `.flow`, `.test` and `.csv`), read whole, and written
//! atomically (a temporary file beside it, then a rename) with the file's
//! permissions kept.

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// What a file of the bot holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Flow,
    Test,
    Table,
}

impl FileKind {
    pub fn of(path: &str) -> Option<FileKind> {
        match path.rsplit_once('.').map(|(_, ext)| ext) {
            Some("flow") => Some(FileKind::Flow),
            Some("test") => Some(FileKind::Test),
            Some("csv") => Some(FileKind::Table),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            FileKind::Flow => "flow",
            FileKind::Test => "test",
            FileKind::Table => "table",
        }
    }
}

/// Why a path is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadPath(pub String);

/// The longest relative path accepted, in bytes.
const MAX_PATH: usize = 400;

/// Checks a path given by the page: relative, `/`-separated, each part a
/// plain name (no `..`, `.`, empty or hidden part, no backslash, no
/// control character), ending in `.flow`, `.test` or `.csv`.
pub fn check_relative(path: &str) -> Result<FileKind, BadPath> {
    if path.is_empty() || path.len() > MAX_PATH {
        return Err(BadPath("the path is empty or too long".into()));
    }
    if path.contains('\\') || path.chars().any(char::is_control) {
        return Err(BadPath(
            "the path holds a backslash or a control character".into(),
        ));
    }
    if path.starts_with('/') {
        return Err(BadPath(
            "the path must be relative to the bot's folder".into(),
        ));
    }
    for part in path.split('/') {
        if part.is_empty() || part == "." || part == ".." || part.starts_with('.') {
            return Err(BadPath(format!(
                "`{part}` is not allowed in a path: the studio edits the bot's folder only"
            )));
        }
    }
    FileKind::of(path)
        .ok_or_else(|| BadPath("the studio edits `.flow`, `.test` and `.csv` files only".into()))
}

/// The hex SHA-256 of a text: what the page sends back to say which
/// version it edited.
pub fn hash(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The bot's folder, resolved once.
#[derive(Debug, Clone)]
pub struct BotFolder {
    /// As the server was given it: the names the bot's sources carry.
    pub root: PathBuf,
    /// Its canonical form: every file must resolve inside it.
    canonical: PathBuf,
}

impl BotFolder {
    pub fn new(root: &Path) -> io::Result<BotFolder> {
        Ok(BotFolder {
            root: root.to_path_buf(),
            canonical: fs::canonicalize(root)?,
        })
    }

    /// The name the bot's sources give a relative path (what `guichet
    /// check` and the server's loader call it).
    pub fn source_name(&self, relative: &str) -> String {
        self.root.join(relative).display().to_string()
    }

    /// The relative path of a source name, if it is one of the folder's.
    pub fn relative<'a>(&self, source_name: &'a str) -> Option<&'a str> {
        // `join("")` ends the folder's name with a separator.
        let prefix = self.root.join("").display().to_string();
        source_name.strip_prefix(prefix.as_str())
    }

    /// The file a relative path names, refused when it resolves outside
    /// the folder (a symbolic link out, on the way or at the end).
    pub fn resolve(&self, relative: &str) -> Result<PathBuf, BadPath> {
        check_relative(relative)?;
        let path = self.root.join(relative);
        let real = fs::canonicalize(&path)
            .map_err(|_| BadPath(format!("{relative}: no such file in the bot's folder")))?;
        if !real.starts_with(&self.canonical) {
            return Err(BadPath(format!(
                "{relative} leads out of the bot's folder (a symbolic link)"
            )));
        }
        if !real.is_file() {
            return Err(BadPath(format!("{relative} is not a file")));
        }
        Ok(path)
    }

    /// Every `.flow`, `.test` and `.csv` file of the folder with its text,
    /// by relative path; hidden names and links out of the folder are left
    /// out, as are files that are not UTF-8.
    pub fn read_all(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        let mut stack = vec![(self.root.clone(), String::new())];
        while let Some((dir, prefix)) = stack.pop() {
            let Ok(entries) = fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let Some(name) = entry.file_name().to_str().map(str::to_string) else {
                    continue;
                };
                if name.starts_with('.') {
                    continue;
                }
                let relative = format!("{prefix}{name}");
                let path = entry.path();
                let inside = fs::canonicalize(&path)
                    .map(|real| real.starts_with(&self.canonical))
                    .unwrap_or(false);
                if !inside {
                    continue;
                }
                if path.is_dir() {
                    // A bounded depth: a loop of links cannot run away.
                    if prefix.matches('/').count() < 16 {
                        stack.push((path, format!("{relative}/")));
                    }
                } else if check_relative(&relative).is_ok() {
                    if let Ok(text) = fs::read_to_string(&path) {
                        out.insert(relative, text);
                    }
                }
            }
        }
        out
    }
}

/// Writes `text` over the existing file at `path` atomically: a new file
/// beside it, written and flushed to disk, given the old file's
/// permissions, then renamed over it; the folder is flushed after. A
/// symbolic link is refused (the rename would replace the link).
pub fn write_atomic(path: &Path, text: &str) -> io::Result<()> {
    let meta = fs::symlink_metadata(path)?;
    if meta.file_type().is_symlink() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the file is a symbolic link: edit the file it points to",
        ));
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    static N: AtomicU64 = AtomicU64::new(0);
    let temp = dir.join(format!(
        ".{name}.studio-{}-{}.tmp",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let written = (|| {
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        fs::set_permissions(&temp, meta.permissions())?;
        fs::rename(&temp, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written?;
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(tag: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("guichet-studio-files-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("tests")).unwrap();
        dir
    }

    #[test]
    fn paths_stay_plain_names_of_bot_files() {
        assert_eq!(check_relative("creche.flow"), Ok(FileKind::Flow));
        assert_eq!(check_relative("tests/creche_fr.test"), Ok(FileKind::Test));
        assert_eq!(check_relative("canteen_menu.csv"), Ok(FileKind::Table));
        for bad in [
            "",
            "../etc/passwd.flow",
            "tests/../../x.flow",
            "/etc/x.flow",
            "./creche.flow",
            ".hidden.flow",
            "tests//a.test",
            "a\\b.flow",
            "guichet.toml",
            "creche.flow\n",
            "creche",
        ] {
            assert!(check_relative(bad).is_err(), "{bad:?} is accepted");
        }
    }

    #[test]
    fn files_resolve_inside_the_folder_only() {
        let dir = temp("resolve");
        fs::write(dir.join("a.flow"), "flow a\nend\n").unwrap();
        fs::write(dir.join("tests/a.test"), "> hi\n").unwrap();
        fs::write(dir.join("notes.txt"), "x").unwrap();
        let outside = temp("outside");
        fs::write(outside.join("secret.flow"), "flow s\nend\n").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(outside.join("secret.flow"), dir.join("link.flow")).unwrap();
        let folder = BotFolder::new(&dir).unwrap();
        assert!(folder.resolve("a.flow").is_ok());
        assert!(folder.resolve("tests/a.test").is_ok());
        assert!(folder.resolve("missing.flow").is_err());
        #[cfg(unix)]
        assert!(folder
            .resolve("link.flow")
            .unwrap_err()
            .0
            .contains("leads out"));
        let all = folder.read_all();
        let names: Vec<&str> = all.keys().map(String::as_str).collect();
        assert_eq!(names, ["a.flow", "tests/a.test"]);
        assert_eq!(
            folder.relative(&folder.source_name("tests/a.test")),
            Some("tests/a.test")
        );
        let _ = fs::remove_dir_all(&dir);
        let _ = fs::remove_dir_all(&outside);
    }

    #[test]
    fn an_atomic_write_keeps_the_permissions_and_leaves_no_temporary_file() {
        let dir = temp("write");
        let file = dir.join("a.flow");
        fs::write(&file, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&file, fs::Permissions::from_mode(0o640)).unwrap();
        }
        write_atomic(&file, "new text").unwrap();
        assert_eq!(fs::read_to_string(&file).unwrap(), "new text");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&file).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o640);
            std::os::unix::fs::symlink(&file, dir.join("link.flow")).unwrap();
            assert!(write_atomic(&dir.join("link.flow"), "x").is_err());
            assert_eq!(fs::read_to_string(&file).unwrap(), "new text");
        }
        let left: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(left.is_empty());
        assert_eq!(hash("abc").len(), 64);
        let _ = fs::remove_dir_all(&dir);
    }
}
