use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub fn meow() -> String {
    cats::meow().to_string()
}
