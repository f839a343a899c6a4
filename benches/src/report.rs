//! What the bench binary hands to `cargo xtask bench`: Markdown sections on stdout,
//! then one `@target` line per target (tab-separated: name, measured, target,
//! `met`/`missed`), which the xtask gathers into the summary table.

/// A target from the brief, evaluated on this run's figures.
#[derive(Debug, Clone)]
pub struct Target {
    name: String,
    measured: String,
    target: String,
    met: bool,
}

impl Target {
    pub fn new(name: &str, measured: String, target: &str, met: bool) -> Self {
        Target {
            name: name.to_owned(),
            measured,
            target: target.to_owned(),
            met,
        }
    }
}

#[derive(Debug, Default)]
pub struct Report {
    pub body: String,
    targets: Vec<Target>,
}

impl Report {
    pub fn target(&mut self, target: Target) {
        self.targets.push(target);
    }

    pub fn print(&self) {
        print!("{}", self.body);
        for t in &self.targets {
            let verdict = if t.met { "met" } else { "missed" };
            println!(
                "@target\t{}\t{}\t{}\t{verdict}",
                t.name, t.measured, t.target
            );
        }
    }
}
