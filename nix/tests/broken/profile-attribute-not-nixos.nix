# expect: installProfiles.storage.attribute: nixos-install can only install nixosConfigurations.<name>, got "packages.x86_64-linux.{hostname}"
import ../lab-with.nix (lab: {
  installProfiles = lab.installProfiles // {
    storage = lab.installProfiles.storage // { attribute = "packages.x86_64-linux.{hostname}"; };
  };
})
