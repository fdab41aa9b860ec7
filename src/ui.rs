//! The only owner of stdout and stderr. Commands write results through [`Ui::out`] and notes
//! through [`Ui::note`]; decisions about colour, width and interactivity are made once here.

use std::io::{IsTerminal, Write};

/// Output settings decided at startup.
pub struct Ui {
    /// Colour on stdout.
    pub color: bool,
    /// stdout is a terminal.
    pub tty: bool,
    /// Terminal width or a fixed width for pipes.
    pub width: u16,
    /// `-q`.
    pub quiet: bool,
    /// `-v`.
    pub verbose: bool,
    /// Prompts are allowed (a terminal on stdin and stderr, and no `--no-input`).
    pub interactive: bool,
}

impl Ui {
    /// Decide from the flags and the environment.
    pub fn new(color: crate::cli::ColorChoice, quiet: bool, verbose: bool, no_input: bool) -> Ui {
        let tty = std::io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match color {
            crate::cli::ColorChoice::Always => true,
            crate::cli::ColorChoice::Never => false,
            crate::cli::ColorChoice::Auto => tty && !no_color,
        };
        let width = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse::<u16>().ok())
            .filter(|w| *w >= 40)
            .unwrap_or(if tty { 120 } else { 100 });
        let interactive =
            !no_input && std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
        Ui {
            color,
            tty,
            width,
            quiet,
            verbose,
            interactive,
        }
    }

    /// Render options for the report layer.
    pub fn render_opts(&self) -> crate::report::RenderOpts {
        crate::report::RenderOpts {
            color: self.color,
            width: self.width,
            tty: self.tty,
            verbose: self.verbose,
        }
    }

    /// Write the result to stdout (a broken pipe is reported as an error the caller maps to exit 0).
    pub fn out(&self, f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> crate::Result<()> {
        let stdout = std::io::stdout();
        let mut lock = stdout.lock();
        let mut buf = std::io::BufWriter::new(&mut lock);
        f(&mut buf)
            .and_then(|()| buf.flush())
            .map_err(crate::Error::Output)
    }

    /// A status note on stderr (hidden by `-q`).
    pub fn note(&self, msg: &str) {
        if !self.quiet {
            let _ = writeln!(std::io::stderr(), "{msg}");
        }
    }

    /// The progress of a probe run on stderr, only when stderr is a terminal (and not `-q`): a
    /// spinner with the time and the count done, and a line above it per finished probe.
    pub fn probes_started(&self) -> Progress {
        if self.quiet || !std::io::stderr().is_terminal() {
            return Progress { bar: None };
        }
        let bar = indicatif::ProgressBar::new_spinner();
        if let Ok(style) = indicatif::ProgressStyle::with_template("  {spinner} {msg} {elapsed}") {
            bar.set_style(style);
        }
        bar.set_message("running probes");
        bar.enable_steady_tick(std::time::Duration::from_millis(100));
        Progress { bar: Some(bar) }
    }

    /// Ask a yes/no question on the terminal (default no). `None` when prompts are not allowed
    /// (no terminal, or `--no-input`): the caller decides what that means. End of input, Esc
    /// or a terminal error is a no.
    pub fn confirm(&self, prompt: &str) -> Option<bool> {
        if !self.interactive {
            return None;
        }
        let answer = dialoguer::Confirm::new()
            .with_prompt(prompt)
            .default(false)
            .interact_opt();
        Some(matches!(answer, Ok(Some(true))))
    }

    /// Ask for a line on the terminal, read in the terminal's line mode: Enter ends it, Ctrl-D
    /// on an empty line or a closed terminal is end of input. `None` when prompts are not
    /// allowed; end of input or a read error is an empty answer (which every caller reads as no).
    ///
    /// The line is read on a thread of its own, so that the caller can race the answer against
    /// Ctrl-C (once a Ctrl-C handler is installed, a blocking read would not see it).
    pub async fn ask(&self, prompt: &str) -> Option<String> {
        if !self.interactive {
            return None;
        }
        let mut err = std::io::stderr();
        let _ = write!(err, "? {prompt} ");
        let _ = err.flush();
        let (tx, rx) = tokio::sync::oneshot::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let got = match std::io::stdin().read_line(&mut line) {
                Ok(n) if n > 0 => line,
                _ => String::new(),
            };
            let _ = tx.send(got);
        });
        let line = rx.await.unwrap_or_default();
        if line.is_empty() {
            let _ = writeln!(err);
        }
        Some(line)
    }

    /// Let the person edit a line on the terminal, starting from `initial`. Unchanged when
    /// prompts are not allowed, at end of input, for an empty line or on a terminal error;
    /// Ctrl-C (which the terminal's raw mode hands over as a key) is [`Edit::Interrupted`].
    pub fn edit(&self, prompt: &str, initial: &str) -> Edit {
        if !self.interactive {
            return Edit::Unchanged;
        }
        match dialoguer::Input::<String>::new()
            .with_prompt(prompt)
            .with_initial_text(initial)
            .allow_empty(true)
            .interact_text()
        {
            Ok(s) if !s.trim().is_empty() => Edit::Text(s),
            Ok(_) => Edit::Unchanged,
            Err(dialoguer::Error::IO(e)) if e.kind() == std::io::ErrorKind::Interrupted => {
                Edit::Interrupted
            }
            Err(_) => Edit::Unchanged,
        }
    }

    /// Text on stderr for the person at the terminal (the plan beside a prompt, results as
    /// they come), hidden by `-q`.
    pub fn say(&self, text: &str) {
        if !self.quiet {
            let _ = std::io::stderr().write_all(text.as_bytes());
        }
    }

    /// A warning on stderr (shown even with `-q`).
    pub fn warn(&self, msg: &str) {
        let _ = writeln!(std::io::stderr(), "warning: {msg}");
    }
}

/// What an edit prompt ended with.
pub enum Edit {
    /// The line as edited.
    Text(String),
    /// Left as it was.
    Unchanged,
    /// Ctrl-C.
    Interrupted,
}

/// A probe run's progress on stderr (see [`Ui::probes_started`]); cleared when dropped.
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    /// A probe finished: its line above the spinner (`✔ k8s/pods  0.4s  3 pods …`).
    pub fn done(&self, o: &crate::probe::Outcome) {
        let Some(bar) = &self.bar else {
            return;
        };
        let mark = match o.status.as_str() {
            "ok" => "✔",
            "skipped" => "-",
            _ => "✖",
        };
        let what = o
            .reason
            .clone()
            .or_else(|| o.findings.first().cloned())
            .unwrap_or_default();
        let what: String = what.chars().take(80).collect();
        bar.println(format!(
            "  {mark} {:<28} {:>6.1}s  {what}",
            o.id,
            o.took_ms as f64 / 1000.0
        ));
        bar.inc(1);
        bar.set_message(format!("{} probe(s) done", bar.position()));
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
