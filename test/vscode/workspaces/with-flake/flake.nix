{
  description = "A trivial flake so the workspace counts as having one";
  outputs = { self }: { };
}
