//! The server's files are its owner's alone.

use crate::config::Config;

/// Files and folders this process makes from now on are its owner's alone
/// (mode 0600 and 0700): the database holds password hashes and sessions,
/// a backup the secret key too.
pub fn private_files() {
    #[cfg(unix)]
    // SAFETY: umask only swaps the process's file mode mask; it cannot fail.
    unsafe {
        libc::umask(0o077);
    }
}

/// Creates the data directory, and makes it (new or not) its owner's alone:
/// one made by an older version, or by hand, may be readable by everyone.
pub fn make_data_dir(config: &Config) -> Result<(), String> {
    let dir = &config.data_dir;
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("cannot create data directory {}: {e}", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| format!("cannot restrict data directory {}: {e}", dir.display()))?;
    }
    Ok(())
}
