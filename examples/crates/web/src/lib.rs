use wasm_bindgen::prelude::*;

/// Callable from JavaScript: `greet("Nix")`.
#[wasm_bindgen]
pub fn greet(name: &str) -> String {
    shared::greeting(name)
}

/// Runs when the module is loaded in the page.
#[wasm_bindgen(start)]
pub fn start() {
    web_sys::console::log_1(&greet("browser").into());
}
