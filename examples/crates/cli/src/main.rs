use clap::Parser;

/// Says hello.
#[derive(Parser)]
#[command(name = "hello-cli", version, about)]
struct Args {
    /// Who to greet.
    #[arg(default_value = "world")]
    name: String,
}

fn main() {
    let args = Args::parse();
    println!("{}", shared::greeting(&args.name));
}
