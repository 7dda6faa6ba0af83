//! Code shared by every crate in the example workspace.

/// Builds the greeting the binaries print.
pub fn greeting(name: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        "Hello, world!".to_string()
    } else {
        format!("Hello, {name}!")
    }
}

#[cfg(test)]
mod tests {
    use super::greeting;

    #[test]
    fn greets_by_name() {
        assert_eq!(greeting("Nix"), "Hello, Nix!");
        assert_eq!(greeting("  "), "Hello, world!");
    }
}
