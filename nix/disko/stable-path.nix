# Guard shared by the layouts (builtins only): a plan names disks by stable paths, never /dev/sdX
# (DESIGN §4). Returns the path unchanged or throws "nix/disko: <what> must be ...".
what: path:
if builtins.isString path && builtins.match "/dev/disk/by-(id|path)/.+" path != null
then path
else throw "nix/disko: ${what} must be a stable /dev/disk/by-id/... or /dev/disk/by-path/... path, got ${builtins.toJSON path}"
