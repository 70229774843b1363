/**
 * Typed errors of distribution filenames and compatibility tags.
 *
 * Like the PEP 440 errors, each carries the offending `input` and the 0-based `position` of the
 * first character that could not be accepted, and its message draws a caret under that spot, so
 * an API can answer "this filename is wrong here" instead of a bare "invalid".
 */
import { InputError } from '@venvfarm/pep440';

/** Base class of the errors this library throws for malformed input. */
export abstract class WheelLibraryError extends InputError {}

/**
 * A string that is not a valid wheel or source distribution filename (binary distribution
 * format spec; source distribution format spec, with the legacy archive kinds pip accepts).
 */
export class InvalidFilenameError extends WheelLibraryError {}

/**
 * A well-formed name of a distribution kind this library does not handle (eggs, `.exe`
 * installers, `.rpm`…). A subclass so callers that only care "usable or not" catch one type,
 * while an index mirror can tell "skip silently" from "report a broken upload".
 */
export class UnsupportedFilenameError extends InvalidFilenameError {}

/** A compatibility tag (`py3-none-any`, possibly compressed) that does not have three parts. */
export class InvalidTagError extends WheelLibraryError {}
