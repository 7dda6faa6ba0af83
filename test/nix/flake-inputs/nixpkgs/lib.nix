# The nixpkgs `lib` functions generated flakes and nix/*.nix files call, with nixpkgs' semantics.
let
  inherit (builtins)
    attrNames
    concatMap
    concatStringsSep
    listToAttrs
    ;
in
rec {
  inherit (builtins)
    attrNames
    attrValues
    elem
    filter
    foldl'
    head
    length
    mapAttrs
    replaceStrings
    ;
  genAttrs =
    names: f:
    listToAttrs (
      map (name: {
        inherit name;
        value = f name;
      }) names
    );
  nameValuePair = name: value: { inherit name value; };
  mapAttrs' = f: set: listToAttrs (map (name: f name set.${name}) (attrNames set));
  filterAttrs =
    pred: set:
    listToAttrs (
      concatMap (name: if pred name set.${name} then [ (nameValuePair name set.${name}) ] else [ ]) (
        attrNames set
      )
    );
  concatMapStrings = f: list: concatStringsSep "" (map f list);
  optional = cond: x: if cond then [ x ] else [ ];
  optionals = cond: list: if cond then list else [ ];
  optionalString = cond: s: if cond then s else "";
  optionalAttrs = cond: set: if cond then set else { };
  concatMapAttrs = f: set: builtins.foldl' (a: b: a // b) { } (builtins.attrValues (builtins.mapAttrs f set));
  # As nixpkgs: words of safe characters stay as they are.
  escapeShellArg =
    arg:
    let
      s = toString arg;
    in
    if builtins.match "[[:alnum:],._+:@%/-]+" s != null then s else "'" + replaceStrings [ "'" ] [ "'\\''" ] s + "'";
  unique = builtins.foldl' (acc: x: if builtins.elem x acc then acc else acc ++ [ x ]) [ ];
  fakeHash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  fakeSha256 = "0000000000000000000000000000000000000000000000000000";
}
