//! Client-side checks of the API description's constraints, run before anything is
//! sent, and the wire form of parameter values.
//!
//! Generated code describes constraints as `&[Check]` lists; [`Validate`] walks a
//! request body, [`Checkable`] applies checks to one value, and [`ParamValue`]
//! renders path, query, header and cookie values (which are checked in that
//! rendered form, since that is what the server sees).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::hash::Hash;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use serde::Serialize;
use serde_json::Value;

use super::error::Error;

/// One constraint from the API description.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Check {
    /// At least this many characters (Unicode scalar values, not bytes).
    MinLength(usize),
    /// At most this many characters (Unicode scalar values, not bytes).
    MaxLength(usize),
    /// Matches this regular expression somewhere (unanchored, like JSON Schema).
    Pattern(&'static str),
    /// Like `Pattern`, with the API description's example of a valid value, which a
    /// failure shows.
    PatternWithExample(&'static str, &'static str),
    /// At least this number.
    Minimum(f64),
    /// At most this number.
    Maximum(f64),
    /// Greater than this number.
    ExclusiveMinimum(f64),
    /// Less than this number.
    ExclusiveMaximum(f64),
    /// A list of at least this many items.
    MinItems(usize),
    /// A list of at most this many items.
    MaxItems(usize),
    /// A list without duplicates.
    UniqueItems,
    /// These checks apply to every item of a list.
    Each(&'static [Check]),
}

/// Collects constraint violations while walking a value, tracking where it is
/// (`body.credentials.keys[0].kid`).
#[derive(Debug)]
pub struct Validator {
    path: String,
    pub(crate) errors: Vec<(String, String)>,
}

impl Validator {
    pub(crate) fn new(root: &str) -> Self {
        Validator {
            path: root.to_owned(),
            errors: Vec::new(),
        }
    }

    /// Applies `checks` to the field `name` of the value being validated.
    pub fn field<T: Checkable + ?Sized>(&mut self, name: &str, value: &T, checks: &[Check]) {
        let mark = self.push_field(name);
        for check in checks {
            value.check(check, self);
        }
        self.path.truncate(mark);
    }

    /// Validates the field `name`, itself a value with constraints inside.
    pub fn nested<T: Validate + ?Sized>(&mut self, name: &str, value: &T) {
        let mark = self.push_field(name);
        value.validate(self);
        self.path.truncate(mark);
    }

    /// Runs `f` one level down, at list index `index`.
    pub fn at_index(&mut self, index: usize, f: impl FnOnce(&mut Self)) {
        let mark = self.path.len();
        let _ = write!(self.path, "[{index}]");
        f(self);
        self.path.truncate(mark);
    }

    /// Runs `f` one level down, at map key `key`.
    pub fn at_key(&mut self, key: &str, f: impl FnOnce(&mut Self)) {
        let mark = self.push_field(key);
        f(self);
        self.path.truncate(mark);
    }

    /// Reports a violation at the current position.
    pub fn error(&mut self, message: impl Into<String>) {
        self.errors.push((self.path.clone(), message.into()));
    }

    /// Every violation, as one [`Error::InvalidArgument`]: the first names the field,
    /// and the message goes on to list the others, so one round trip shows them all.
    pub(crate) fn finish(self) -> Result<(), Error> {
        let mut all = self.errors.into_iter();
        match all.next() {
            None => Ok(()),
            Some((field, mut message)) => {
                for (other, text) in all {
                    message.push_str(&format!("; `{other}`: {text}"));
                }
                Err(Error::InvalidArgument { field, message })
            }
        }
    }

    /// Like [`Validator::finish`] for a validator started at `""`, naming the
    /// parameter `name` in the error. Such a validator allocates nothing until a
    /// check fails, which is why parameters are checked this way.
    pub(crate) fn finish_param(self, name: &str) -> Result<(), Error> {
        let mut all = self.errors.into_iter();
        match all.next() {
            None => Ok(()),
            Some((field, mut message)) => {
                for (other, text) in all {
                    message.push_str(&format!("; `{name}{other}`: {text}"));
                }
                Err(Error::InvalidArgument {
                    field: format!("{name}{field}"),
                    message,
                })
            }
        }
    }

    fn push_field(&mut self, name: &str) -> usize {
        let mark = self.path.len();
        if !self.path.is_empty() {
            self.path.push('.');
        }
        self.path.push_str(name);
        mark
    }
}

/// A type whose values may carry constraints inside, such as a request body.
/// Generated structs implement it by listing their fields.
pub trait Validate {
    /// Reports every violation in `self` to `v`.
    fn validate(&self, _v: &mut Validator) {}
}

macro_rules! leaf_validate {
    ($($t:ty),*) => { $(impl Validate for $t {})* };
}
leaf_validate!(
    bool, char, i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, f32, f64, str,
    String, Value, serde_json::Map<String, Value>, time::OffsetDateTime, time::Date, uuid::Uuid
);

impl<T: Validate> Validate for [T] {
    fn validate(&self, v: &mut Validator) {
        for (i, item) in self.iter().enumerate() {
            v.at_index(i, |v| item.validate(v));
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self, v: &mut Validator) {
        self.as_slice().validate(v);
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate(&self, v: &mut Validator) {
        if let Some(inner) = self {
            inner.validate(v);
        }
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate(&self, v: &mut Validator) {
        (**self).validate(v);
    }
}

impl<T: Validate + ?Sized> Validate for &T {
    fn validate(&self, v: &mut Validator) {
        (**self).validate(v);
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate(&self, v: &mut Validator) {
        for (key, item) in self {
            v.at_key(key, |v| item.validate(v));
        }
    }
}

/// A value that [`Check`]s apply to directly. Checks that do not fit the type
/// (a length on a number) are ignored: generated code only emits fitting ones.
pub trait Checkable {
    /// Applies `check`, reporting a violation to `v`.
    fn check(&self, check: &Check, v: &mut Validator);
}

impl Checkable for str {
    fn check(&self, check: &Check, v: &mut Validator) {
        check_str(self, check, v);
    }
}

impl Checkable for String {
    fn check(&self, check: &Check, v: &mut Validator) {
        check_str(self, check, v);
    }
}

impl Checkable for bool {
    fn check(&self, _check: &Check, _v: &mut Validator) {}
}

// Bounds in API descriptions are f64, so integers are compared as f64 too.
macro_rules! number_checkable {
    ($($t:ty),*) => {$(
        impl Checkable for $t {
            fn check(&self, check: &Check, v: &mut Validator) {
                check_number(*self as f64, check, v);
            }
        }
    )*};
}
number_checkable!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

impl Checkable for f32 {
    fn check(&self, check: &Check, v: &mut Validator) {
        check_number(f64::from(*self), check, v);
    }
}

impl Checkable for f64 {
    fn check(&self, check: &Check, v: &mut Validator) {
        check_number(*self, check, v);
    }
}

impl Checkable for uuid::Uuid {
    fn check(&self, check: &Check, v: &mut Validator) {
        check_str(&self.to_string(), check, v);
    }
}

impl Checkable for time::OffsetDateTime {
    fn check(&self, check: &Check, v: &mut Validator) {
        check_str(&rfc3339(self), check, v);
    }
}

impl Checkable for Value {
    fn check(&self, check: &Check, v: &mut Validator) {
        match self {
            Value::String(s) => check_str(s, check, v),
            Value::Number(n) => {
                if let Some(n) = n.as_f64() {
                    check_number(n, check, v);
                }
            }
            Value::Array(items) => {
                check_items(items.len(), check, v, |i| Some(items.get(i)?.clone()))
            }
            _ => {}
        }
    }
}

/// Items are compared and checked in their JSON form, so lists of any
/// serializable type (generated enums and structs included) can carry checks.
impl<T: Serialize> Checkable for [T] {
    fn check(&self, check: &Check, v: &mut Validator) {
        check_items(self.len(), check, v, |i| {
            serde_json::to_value(self.get(i)?).ok()
        });
    }
}

impl<T: Serialize> Checkable for Vec<T> {
    fn check(&self, check: &Check, v: &mut Validator) {
        self.as_slice().check(check, v);
    }
}

impl<T: Checkable> Checkable for Option<T> {
    fn check(&self, check: &Check, v: &mut Validator) {
        if let Some(inner) = self {
            inner.check(check, v);
        }
    }
}

impl<T: Checkable + ?Sized> Checkable for Box<T> {
    fn check(&self, check: &Check, v: &mut Validator) {
        (**self).check(check, v);
    }
}

impl<T: Checkable + ?Sized> Checkable for &T {
    fn check(&self, check: &Check, v: &mut Validator) {
        (**self).check(check, v);
    }
}

fn check_str(s: &str, check: &Check, v: &mut Validator) {
    match *check {
        Check::MinLength(min) => {
            let len = s.chars().count();
            if len < min {
                v.error(format!("length {len} is less than minLength {min}"));
            }
        }
        // A string has no more characters than bytes, so a short one needs no count.
        Check::MaxLength(max) if s.len() > max => {
            let len = s.chars().count();
            if len > max {
                v.error(format!("length {len} exceeds maxLength {max}"));
            }
        }
        Check::Pattern(pattern) => match regex(pattern) {
            Ok(re) if re.is_match(s) => {}
            Ok(_) => v.error(format!("does not match pattern `{pattern}`")),
            Err(e) => v.error(format!("invalid pattern `{pattern}`: {e}")),
        },
        Check::PatternWithExample(pattern, example) => match regex(pattern) {
            Ok(re) if re.is_match(s) => {}
            Ok(_) => v.error(format!(
                "does not match pattern `{pattern}`; a valid value looks like `{example}`"
            )),
            Err(e) => v.error(format!("invalid pattern `{pattern}`: {e}")),
        },
        _ => {}
    }
}

fn check_number(n: f64, check: &Check, v: &mut Validator) {
    match *check {
        Check::Minimum(min) if n < min => v.error(format!("{n} is less than minimum {min}")),
        Check::Maximum(max) if n > max => v.error(format!("{n} exceeds maximum {max}")),
        Check::ExclusiveMinimum(min) if n <= min => {
            v.error(format!("{n} is not greater than exclusiveMinimum {min}"));
        }
        Check::ExclusiveMaximum(max) if n >= max => {
            v.error(format!("{n} is not less than exclusiveMaximum {max}"));
        }
        _ => {}
    }
}

/// List checks over `len` items, fetching each item's JSON form on demand.
fn check_items(
    len: usize,
    check: &Check,
    v: &mut Validator,
    item: impl Fn(usize) -> Option<Value>,
) {
    match *check {
        Check::MinItems(min) if len < min => {
            v.error(format!("has {len} items, fewer than minItems {min}"))
        }
        Check::MaxItems(max) if len > max => {
            v.error(format!("has {len} items, more than maxItems {max}"))
        }
        Check::UniqueItems => {
            // Canonical JSON text as the key keeps this linear; objects are
            // key-sorted maps, so equal values print equally.
            let keys = (0..len).map(|i| item(i).map(|value| value.to_string()).unwrap_or_default());
            if let Some((a, b)) = first_duplicate(keys) {
                v.error(format!(
                    "items {a} and {b} are equal, but items must be unique"
                ));
            }
        }
        Check::Each(checks) => {
            for i in 0..len {
                if let Some(value) = item(i) {
                    v.at_index(i, |v| checks.iter().for_each(|c| value.check(c, v)));
                }
            }
        }
        _ => {}
    }
}

fn first_duplicate<K: Hash + Eq>(keys: impl Iterator<Item = K>) -> Option<(usize, usize)> {
    let mut seen = HashMap::new();
    for (i, key) in keys.enumerate() {
        if let Some(&first) = seen.get(&key) {
            return Some((first, i));
        }
        seen.insert(key, i);
    }
    None
}

/// Checks a parameter in its rendered form: list checks count the rendered
/// items, everything else applies to each of them.
pub(crate) fn check_rendered<S: AsRef<str>>(values: &[S], checks: &[Check], v: &mut Validator) {
    for check in checks {
        match *check {
            Check::MinItems(_) | Check::MaxItems(_) => {
                check_items(values.len(), check, v, |_| None);
            }
            Check::UniqueItems => {
                if let Some((a, b)) = first_duplicate(values.iter().map(AsRef::as_ref)) {
                    v.error(format!(
                        "items {a} and {b} are equal, but items must be unique"
                    ));
                }
            }
            Check::Each(inner) => {
                for (i, value) in values.iter().enumerate() {
                    v.at_index(i, |v| check_rendered(std::slice::from_ref(value), inner, v));
                }
            }
            Check::Minimum(_)
            | Check::Maximum(_)
            | Check::ExclusiveMinimum(_)
            | Check::ExclusiveMaximum(_) => {
                for n in values.iter().filter_map(|s| s.as_ref().parse::<f64>().ok()) {
                    check_number(n, check, v);
                }
            }
            Check::MinLength(_)
            | Check::MaxLength(_)
            | Check::Pattern(_)
            | Check::PatternWithExample(..) => {
                for value in values {
                    check_str(value.as_ref(), check, v);
                }
            }
        }
    }
}

/// Compiles each pattern once per process. A pattern the regex engine cannot
/// compile (e.g. look-around) is remembered as an error message, never a panic.
fn regex(pattern: &'static str) -> Result<Arc<regex_lite::Regex>, String> {
    type Cache = Mutex<HashMap<&'static str, Result<Arc<regex_lite::Regex>, String>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let mut cache = CACHE
        .get_or_init(Cache::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    cache
        .entry(pattern)
        .or_insert_with(|| {
            regex_lite::Regex::new(pattern).map(Arc::new).map_err(|e| {
                let text = e.to_string();
                text.lines().next().unwrap_or_default().to_owned()
            })
        })
        .clone()
}

/// A parameter the API describes with `content: application/json` rather than a
/// schema: its wire form is the value's JSON text, one string, whatever its shape. An
/// absent value (`None`, JSON `null`) sends nothing.
#[derive(Debug, Clone, Copy)]
pub struct JsonText<'a, T: ?Sized>(pub &'a T);

impl<T: Serialize + ?Sized> ParamValue for JsonText<'_, T> {
    fn append_to(&self, out: &mut Vec<String>) {
        // Serialising a generated type cannot fail (its map keys are strings); were
        // it to, the parameter is left out rather than sent half-formed.
        match serde_json::to_value(self.0) {
            Ok(Value::Null) | Err(_) => {}
            Ok(value) => out.push(value.to_string()),
        }
    }
}

/// A value as it appears in a path, query, header or cookie.
pub trait ParamValue {
    /// Appends the wire form: one string for a scalar, one per item for a list,
    /// nothing when absent.
    fn append_to(&self, out: &mut Vec<String>);

    /// For object-shaped values, appends `(property, value)` pairs and returns
    /// `true`; other values keep the default, which returns `false`.
    fn append_fields(&self, _out: &mut Vec<(String, String)>) -> bool {
        false
    }

    /// The wire form when it is exactly one borrowed string, as for strings
    /// themselves: such a value is checked and encoded without being rendered into
    /// a list first. `None` (the default) takes the general path through
    /// [`ParamValue::append_to`], so it is always correct.
    fn as_single_str(&self) -> Option<&str> {
        None
    }
}

impl ParamValue for str {
    fn append_to(&self, out: &mut Vec<String>) {
        out.push(self.to_owned());
    }

    fn as_single_str(&self) -> Option<&str> {
        Some(self)
    }
}

impl ParamValue for String {
    fn append_to(&self, out: &mut Vec<String>) {
        out.push(self.clone());
    }

    fn as_single_str(&self) -> Option<&str> {
        Some(self)
    }
}

macro_rules! display_param {
    ($($t:ty),*) => {$(
        impl ParamValue for $t {
            fn append_to(&self, out: &mut Vec<String>) {
                out.push(self.to_string());
            }
        }
    )*};
}
display_param!(
    bool,
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    f32,
    f64,
    uuid::Uuid,
    time::Date
);

impl ParamValue for time::OffsetDateTime {
    fn append_to(&self, out: &mut Vec<String>) {
        out.push(rfc3339(self));
    }
}

impl ParamValue for Value {
    fn append_to(&self, out: &mut Vec<String>) {
        match self {
            Value::Null => {}
            Value::String(s) => out.push(s.clone()),
            Value::Bool(b) => out.push(b.to_string()),
            Value::Number(n) => out.push(n.to_string()),
            Value::Array(items) => items.iter().for_each(|item| item.append_to(out)),
            Value::Object(map) => {
                for (key, item) in map {
                    out.push(key.clone());
                    out.push(joined(item));
                }
            }
        }
    }

    fn append_fields(&self, out: &mut Vec<(String, String)>) -> bool {
        let Value::Object(map) = self else {
            return false;
        };
        out.extend(map.iter().map(|(key, item)| (key.clone(), joined(item))));
        true
    }
}

/// Maps render as `key,value,…` in a list, or as one field per key.
fn entries_to_list<'a, V: ParamValue + 'a>(
    entries: impl Iterator<Item = (&'a String, &'a V)>,
    out: &mut Vec<String>,
) {
    for (key, item) in entries {
        out.push(key.clone());
        out.push(joined(item));
    }
}

fn entries_to_fields<'a, V: ParamValue + 'a>(
    entries: impl Iterator<Item = (&'a String, &'a V)>,
    out: &mut Vec<(String, String)>,
) -> bool {
    out.extend(entries.map(|(key, item)| (key.clone(), joined(item))));
    true
}

impl ParamValue for serde_json::Map<String, Value> {
    fn append_to(&self, out: &mut Vec<String>) {
        entries_to_list(self.iter(), out);
    }

    fn append_fields(&self, out: &mut Vec<(String, String)>) -> bool {
        entries_to_fields(self.iter(), out)
    }
}

impl<V: ParamValue> ParamValue for BTreeMap<String, V> {
    fn append_to(&self, out: &mut Vec<String>) {
        entries_to_list(self.iter(), out);
    }

    fn append_fields(&self, out: &mut Vec<(String, String)>) -> bool {
        entries_to_fields(self.iter(), out)
    }
}

impl<T: ParamValue> ParamValue for Option<T> {
    fn append_to(&self, out: &mut Vec<String>) {
        if let Some(inner) = self {
            inner.append_to(out);
        }
    }

    fn append_fields(&self, out: &mut Vec<(String, String)>) -> bool {
        self.as_ref().is_some_and(|inner| inner.append_fields(out))
    }

    fn as_single_str(&self) -> Option<&str> {
        self.as_ref()?.as_single_str()
    }
}

impl<T: ParamValue> ParamValue for [T] {
    fn append_to(&self, out: &mut Vec<String>) {
        self.iter().for_each(|item| item.append_to(out));
    }
}

impl<T: ParamValue> ParamValue for Vec<T> {
    fn append_to(&self, out: &mut Vec<String>) {
        self.as_slice().append_to(out);
    }
}

impl<T: ParamValue + ?Sized> ParamValue for &T {
    fn append_to(&self, out: &mut Vec<String>) {
        (**self).append_to(out);
    }

    fn append_fields(&self, out: &mut Vec<(String, String)>) -> bool {
        (**self).append_fields(out)
    }

    fn as_single_str(&self) -> Option<&str> {
        (**self).as_single_str()
    }
}

impl<T: ParamValue + ?Sized> ParamValue for Box<T> {
    fn append_to(&self, out: &mut Vec<String>) {
        (**self).append_to(out);
    }

    fn append_fields(&self, out: &mut Vec<(String, String)>) -> bool {
        (**self).append_fields(out)
    }

    fn as_single_str(&self) -> Option<&str> {
        (**self).as_single_str()
    }
}

/// A property value of an object parameter: lists are comma-joined.
fn joined(value: &(impl ParamValue + ?Sized)) -> String {
    let mut parts = Vec::new();
    value.append_to(&mut parts);
    parts.join(",")
}

fn rfc3339(t: &time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| t.to_string())
}
