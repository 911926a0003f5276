/** Exit status of a run that finished but could not deliver every mail (failed or in doubt). */
export const EXIT_MAIL_UNDELIVERED = 3;
