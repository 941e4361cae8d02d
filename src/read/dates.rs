//! Dates, times and spans in free English ("12/8", "Dec. 8", "Tuesday the
//! 8th", "next Tues", "tomorrow", "10-12", "10am-noon", "2:00-3:30", "the
//! first hour", ...). Pure. OWNER: dates helper.
