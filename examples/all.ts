// Every example in one stack: the program behind the top-level Pulumi.yaml.
// Relative paths resolve against this directory (the program directory).
import { exoclickBanner } from "./exoclick-banner/program";
import { affiseOffer } from "./affise-offer/program";
import { integr8Postbacks } from "./integr8-postbacks/program";
import { retailMedia } from "./retail-media/program";

export function allExamples(): Record<string, unknown> {
  return {
    ...exoclickBanner({ image: "exoclick-banner/banner-300x250.png" }),
    ...affiseOffer({ creative: "affise-offer/creative-300x250.png" }),
    ...integr8Postbacks(),
    ...retailMedia(),
  };
}
