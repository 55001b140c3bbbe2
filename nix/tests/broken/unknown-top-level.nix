# expect: cluster definition.servicePolicy: unknown attribute
import ../lab-with.nix (lab: {
  servicePolicy = { };
})
