/// What every cat says.
pub fn meow() -> &'static str {
    "meow"
}
