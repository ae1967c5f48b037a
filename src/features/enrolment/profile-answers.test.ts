import { describe, expect, it } from "vitest";
import {
  parseCapacity,
  parseDays,
  parseLanguages,
  parseParts,
  parseProfileForm,
  parseTimeZone,
} from "./profile-answers.js";

describe("profile answers typed in the questionnaire", () => {
  it.each([
    ["lun, mar, jeu", ["mon", "tue", "thu"]],
    ["Lundi et Mercredi", ["mon", "wed"]],
    ["mon tue fri", ["mon", "tue", "fri"]],
    ["lun-ven", ["mon", "tue", "wed", "thu", "fri"]],
    ["ven-lun", ["mon", "fri", "sat", "sun"]],
    ["week-end", ["sat", "sun"]],
    ["sam.; dim.", ["sat", "sun"]],
    ["Thursday/Wednesday", ["wed", "thu"]],
  ])("reads the days %j", (text, days) => {
    expect(parseDays(text)).toEqual({ ok: true, value: days });
  });

  it("refuses a word that is not a day, naming it", () => {
    expect(parseDays("lun, demain")).toEqual({
      ok: false,
      error: { key: "profile.error.dayUnknown", params: { value: "demain" } },
    });
    expect(parseDays(" ")).toEqual({ ok: false, error: { key: "profile.error.daysMissing" } });
  });

  it.each([
    ["matin, après-midi", ["morning", "afternoon"]],
    ["Soir", ["evening"]],
    ["morning and evening", ["morning", "evening"]],
    ["toute la journée", ["morning", "afternoon"]],
  ])("reads the parts of the day %j", (text, parts) => {
    expect(parseParts(text)).toEqual({ ok: true, value: parts });
  });

  it("reads languages as codes or names in French and English", () => {
    expect(parseLanguages("français, anglais")).toEqual({ ok: true, value: ["fr", "en"] });
    expect(parseLanguages("English; es; fr-CA")).toEqual({ ok: true, value: ["en", "es", "fr"] });
    expect(parseLanguages("fr, klingon")).toMatchObject({ ok: false, error: { params: { value: "klingon" } } });
  });

  it("reads a time zone in Intl's spelling and refuses a city alone", () => {
    expect(parseTimeZone(" europe/paris ")).toEqual({ ok: true, value: "Europe/Paris" });
    expect(parseTimeZone("Paris")).toMatchObject({ ok: false });
  });

  it.each(["-1", "abc", "11", "2.5", ""])("refuses the capacity %j", (text) => {
    expect(parseCapacity(text)).toMatchObject({ ok: false, error: { key: "profile.error.capacity" } });
  });

  it("reports every refused answer by input and keeps a valid form's answers", () => {
    const bad = parseProfileForm("mentor", {
      skills: "",
      days: "lun",
      parts: "nuit",
      timeZone: "Europe/Paris",
      languages: "fr",
      style: "3",
      capacity: "-1",
    });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && Object.keys(bad.errors).sort()).toEqual(["capacity", "parts", "skills"]);
    const good = parseProfileForm("mentee", {
      skills: "CV, entretien, cv",
      domain: " ",
      days: "mar",
      parts: "soir",
      timeZone: "Europe/Paris",
      languages: "fr",
      style: "2",
      capacity: "-1",
    });
    expect(good).toEqual({
      ok: true,
      answers: {
        languages: ["fr"],
        timeZone: "Europe/Paris",
        availability: { days: ["tue"], parts: ["evening"] },
        skills: ["CV", "entretien"],
        style: 2,
        notWith: [],
        rankedChoices: [],
      },
    });
  });
});
