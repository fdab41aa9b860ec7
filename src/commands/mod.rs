//! One module per subcommand. Each takes the resolved [`crate::app::Ctx`] and its own args, calls
//! the library, and hands the result to the rendering layer.

pub mod completions;
pub mod investigate;
pub mod mitigate;
pub mod playbook;
pub mod postmortem;
pub mod store;

use crate::error::{Error, Result};
use std::io::{IsTerminal, Read};

/// Read an input argument: a file, `-` (stdin), or (later) a stored incident id.
pub fn read_input(input: Option<&str>) -> Result<(String, String)> {
    let (name, bytes) = read_input_bytes(input)?;
    Ok((name, String::from_utf8_lossy(&bytes).into_owned()))
}

/// [`read_input`] as the bytes given (the store keeps them exactly).
pub fn read_input_bytes(input: Option<&str>) -> Result<(String, Vec<u8>)> {
    let input = match input {
        Some(i) => i,
        None if !std::io::stdin().is_terminal() => "-",
        None => {
            return Err(Error::Usage(
                "no incident given: pass a file, or `-` to read standard input".into(),
            ));
        }
    };
    if input == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(Error::ReadStdin)?;
        return Ok(("stdin".into(), buf));
    }
    let path = std::path::Path::new(input);
    if path.is_file() {
        let bytes = std::fs::read(path).map_err(|source| Error::ReadInput {
            path: path.to_path_buf(),
            source,
        })?;
        return Ok((input.to_string(), bytes));
    }
    if path.is_dir() {
        return Err(Error::ReadInput {
            path: path.to_path_buf(),
            source: std::io::Error::other("is a directory, not an incident file"),
        });
    }
    Err(Error::UnknownInput(input.to_string()))
}
