//! Where in a JSON body a failed decode broke, as a path (`result[0].keys[1].kid`).
//!
//! serde_json reports the line and column at which it gave up; [`path_at`] walks the
//! body's bytes up to that point and names the innermost value there. The walk is not
//! generic, so it is compiled once per crate, where decoding the body a second time
//! with path tracking would compile every response type's decoder again.
//!
//! The path reads as `serde_path_to_error` writes it: keys joined by `.`, indices in
//! brackets, and empty at the root. An error serde_json places at a value's end (a
//! missing field, a union that matched no variant) names that value; one it places at
//! a value's start (a map where a string was expected) names it too.

use std::fmt::Write;

/// The path of the innermost value of `body` that holds the position serde_json
/// reported (`line` and `column` as [`serde_json::Error`] counts them). Past the end
/// of a truncated body, it is the path open where the body stops.
pub(crate) fn path_at(body: &[u8], line: usize, column: usize) -> String {
    let offset = offset_of(body, line, column);
    let mut walk = Walk {
        body,
        pos: 0,
        offset,
        path: Vec::new(),
    };
    // `Err` is where the body stops being JSON: the path open there is the best answer.
    let _ = walk.value();
    render(&walk.path)
}

/// The byte offset of serde_json's position: `column` bytes into line `line`.
fn offset_of(body: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match body
            .get(start..)
            .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
        {
            Some(newline) => start += newline + 1,
            None => return body.len(),
        }
    }
    start.saturating_add(column).min(body.len())
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

fn render(path: &[Segment]) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Index(i) => {
                let _ = write!(out, "[{i}]");
            }
        }
    }
    out
}

/// The body stops being JSON here.
struct Malformed;

/// Whether the walk found the value that holds the offset (the path is then its path),
/// or passed a value that does not.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Found {
    Here,
    NotHere,
}

struct Walk<'b> {
    body: &'b [u8],
    pos: usize,
    offset: usize,
    path: Vec<Segment>,
}

impl Walk<'_> {
    /// Walks one value from `pos`; on [`Found::Here`], `path` is the value's path.
    fn value(&mut self) -> Result<Found, Malformed> {
        self.whitespace();
        let start = self.pos;
        match self.peek()? {
            b'{' => self.object(start),
            b'[' => self.array(start),
            b'"' => {
                self.string()?;
                Ok(self.holds(start))
            }
            _ => {
                self.scalar()?;
                Ok(self.holds(start))
            }
        }
    }

    /// Whether the value from `start` to `pos` (both ends included) holds the offset.
    fn holds(&self, start: usize) -> Found {
        if (start..=self.pos).contains(&self.offset) {
            Found::Here
        } else {
            Found::NotHere
        }
    }

    fn object(&mut self, start: usize) -> Result<Found, Malformed> {
        if let Some(found) = self.open(b'}', start)? {
            return Ok(found);
        }
        loop {
            if self.past_offset() {
                return Ok(Found::Here);
            }
            let key = self.key()?;
            self.whitespace();
            self.expect(b':')?;
            if let Some(found) = self.item(Segment::Key(key), b'}', start)? {
                return Ok(found);
            }
        }
    }

    fn array(&mut self, start: usize) -> Result<Found, Malformed> {
        if let Some(found) = self.open(b']', start)? {
            return Ok(found);
        }
        for index in 0.. {
            if self.past_offset() {
                return Ok(Found::Here);
            }
            if let Some(found) = self.item(Segment::Index(index), b']', start)? {
                return Ok(found);
            }
        }
        Err(Malformed)
    }

    /// Steps into a container at its opening bracket; an empty one is walked whole.
    fn open(&mut self, close: u8, start: usize) -> Result<Option<Found>, Malformed> {
        self.pos += 1;
        self.whitespace();
        if self.peek()? == close {
            self.pos += 1;
            return Ok(Some(self.holds(start)));
        }
        Ok(None)
    }

    /// Whether the next member or element starts past the offset, so that none of the
    /// rest can hold it: the container itself does.
    fn past_offset(&mut self) -> bool {
        self.whitespace();
        self.pos > self.offset
    }

    /// Walks one member's value or one element at `segment`, then the `,` or the closing
    /// bracket after it: `None` when another follows, else the verdict on the value or on
    /// the container (from `start`) that just closed.
    fn item(
        &mut self,
        segment: Segment,
        close: u8,
        start: usize,
    ) -> Result<Option<Found>, Malformed> {
        self.path.push(segment);
        if self.value()? == Found::Here {
            return Ok(Some(Found::Here));
        }
        self.path.pop();
        self.whitespace();
        let next = self.peek()?;
        self.pos += 1;
        match next {
            b',' => Ok(None),
            b if b == close => Ok(Some(self.holds(start))),
            _ => Err(Malformed),
        }
    }

    /// Skips a string from its opening quote; whether it holds escapes.
    fn string(&mut self) -> Result<bool, Malformed> {
        self.expect(b'"')?;
        let mut escaped = false;
        loop {
            match self.body.get(self.pos) {
                None => return Err(Malformed),
                Some(b'"') => break,
                Some(b'\\') => {
                    escaped = true;
                    self.pos += 2;
                }
                Some(_) => self.pos += 1,
            }
        }
        self.pos += 1;
        Ok(escaped)
    }

    /// A member's key: its text, unescaped when it has escapes.
    fn key(&mut self) -> Result<String, Malformed> {
        let start = self.pos;
        let escaped = self.string()?;
        let raw = self.body.get(start..self.pos).ok_or(Malformed)?;
        if escaped {
            serde_json::from_slice(raw).map_err(|_| Malformed)
        } else {
            let inner = raw.get(1..raw.len() - 1).ok_or(Malformed)?;
            Ok(String::from_utf8_lossy(inner).into_owned())
        }
    }

    /// A number, `true`, `false` or `null`: everything up to the next delimiter.
    fn scalar(&mut self) -> Result<(), Malformed> {
        let start = self.pos;
        while let Some(b) = self.body.get(self.pos) {
            if matches!(b, b',' | b'}' | b']' | b':' | b'"' | b'{' | b'[')
                || b.is_ascii_whitespace()
            {
                break;
            }
            self.pos += 1;
        }
        if self.pos == start {
            Err(Malformed)
        } else {
            Ok(())
        }
    }

    fn whitespace(&mut self) {
        while self.body.get(self.pos).is_some_and(u8::is_ascii_whitespace) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Result<u8, Malformed> {
        self.body.get(self.pos).copied().ok_or(Malformed)
    }

    fn expect(&mut self, byte: u8) -> Result<(), Malformed> {
        if self.peek()? == byte {
            self.pos += 1;
            Ok(())
        } else {
            Err(Malformed)
        }
    }
}
