# expect: installProfiles.storage.network: unknown network "provisioning"
import ../lab-with.nix (lab: {
  installProfiles = lab.installProfiles // {
    storage = lab.installProfiles.storage // { network = "provisioning"; };
  };
})
